"""The note both front ends add when the seeds changed since the served index was built.

``coverage-bot sources`` and the bot's ``/stats`` are where an admin checks that new coverage is in,
and ``ask`` and ``chat`` where they try it: all read the *index*, so a file dropped into ``seeds/``
and not yet indexed is named, with the command that indexes it (:mod:`embeddings.seed_changes` finds
the changes).
"""

from __future__ import annotations

from embeddings.seed_changes import SeedChanges

from .language import format_count

#: Names listed per kind of change; more are counted ("and 12 more").
SHOWN_NAMES = 5

_WORDS = {
    "id": {"added": "baru", "changed": "diubah", "removed": "dihapus", "more": "dan {n} lainnya",
           "note": "Berkas di folder seeds berubah sejak indeks ini dibangun ({changes}). Jalankan "
                   "{command} agar indeks mutakhir; sampai saat itu, jawaban datang dari indeks lama.",
           "missing": "tidak ditemukan", "not_dir": "bukan sebuah folder", "unreadable": "tidak dapat dibaca",
           "folder": "Folder seeds {folder} {problem}: jawaban datang dari indeks yang sudah dibangun, dan "
                     "{command} memerlukan folder itu (periksa SEEDS_DIR)."},
    "en": {"added": "new", "changed": "changed", "removed": "removed", "more": "and {n} more",
           "note": "The seed files changed since this index was built ({changes}). Run {command} to "
                   "bring the index up to date; until then, answers come from the old index.",
           "missing": "is not found", "not_dir": "is not a folder", "unreadable": "cannot be read",
           "folder": "The seeds directory {folder} {problem}: answers come from the index already built, "
                     "and {command} needs that folder (check SEEDS_DIR)."},
}


def seed_changes_note(changes: SeedChanges | None, lang: str, command: str) -> str | None:
    """The note for ``changes`` in ``lang`` ("en" or "id"), naming ``command`` as the fix; ``None``
    when nothing changed or it is not known. Names are as the user typed them: escape for HTML."""
    if not changes:
        return None
    words = _WORDS["en" if lang == "en" else "id"]
    if changes.folder_problem:
        return words["folder"].format(folder=changes.folder, problem=words[changes.folder_problem], command=command)
    parts = []
    for kind in ("added", "changed", "removed"):
        if names := getattr(changes, kind):
            shown = ", ".join(names[:SHOWN_NAMES])
            if len(names) > SHOWN_NAMES:
                shown += " " + words["more"].format(n=format_count(len(names) - SHOWN_NAMES, lang))
            parts.append(f"{format_count(len(names), lang)} {words[kind]}: {shown}")
    return words["note"].format(changes="; ".join(parts), command=command)
