"""Why a seed file (or a ``sources.toml`` entry, or a directory entry) is not indexed, in English and
Indonesian.

A reason is a code and its details (:class:`records.SkippedFile`), said from the templates here: the
CLI, ``index --json`` and the logs in English, the bot's ``/reindex`` report in the admin's language
(an Indonesian report with English reasons inside read as two programs talking). Numbers are
written as each language writes them (``20.9 MB``, ``20,9 MB``). An operating system's own error text
(``unreadable: …``) and an exception's stay as they come.
"""

from __future__ import annotations

from collections.abc import Mapping

from babel.numbers import format_decimal

REASONS: dict[str, dict[str, str]] = {
    "en": {
        "folder": "a folder: seeds are read from the seeds directory itself, not its subfolders",
        "not_txt": "not a .txt file: only *.txt files are read",
        "hidden": 'a hidden file (its name starts with "."): index does not read hidden files',
        "not_regular": "not a regular file (a broken link, a device or a pipe)",
        "name_not_utf8": "its name holds bytes that are not UTF-8 (shown as \\x..): rename it",
        "same_id": "same article id as {first}, which is read: names that differ only in the suffix's case or in "
                   "Unicode form are one article (rename one)",
        "too_large": "too large ({size_mb} MB; seed files over {limit_mb} MB are not read: a news article's text "
                     "is far smaller)",
        "not_utf8": "not valid UTF-8 (line {line}, column {column}: byte {byte})",
        "unreadable": "unreadable: {error}",
        "empty": "empty file",
        "unmatched_entry": "matches no seed file, so its facts were not used (a typo?)",
        "failed": "could not be processed ({error})",
        "all_repeated": "every paragraph repeats {files} (kept there)",
        "no_text": "no article text found after cleaning",
    },
    "id": {
        "folder": "sebuah folder: seeds dibaca dari folder seeds itu sendiri, bukan dari subfoldernya",
        "not_txt": "bukan berkas .txt: hanya berkas *.txt yang dibaca",
        "hidden": 'berkas tersembunyi (namanya diawali "."): index tidak membaca berkas tersembunyi',
        "not_regular": "bukan berkas biasa (tautan rusak, perangkat, atau pipa bernama)",
        "name_not_utf8": "namanya memuat bita yang bukan UTF-8 (ditampilkan sebagai \\x..): ganti namanya",
        "same_id": "id artikelnya sama dengan {first}, yang dibaca: nama yang hanya berbeda pada huruf besar-kecil "
                   "akhirannya atau bentuk Unicode-nya adalah satu artikel (ganti salah satu namanya)",
        "too_large": "terlalu besar ({size_mb} MB; berkas seeds di atas {limit_mb} MB tidak dibaca: teks sebuah "
                     "artikel berita jauh lebih kecil)",
        "not_utf8": "bukan UTF-8 yang sah (baris {line}, kolom {column}: bita {byte})",
        "unreadable": "tidak dapat dibaca: {error}",
        "empty": "berkas kosong",
        "unmatched_entry": "tidak cocok dengan berkas seeds mana pun, jadi datanya tidak dipakai (salah ketik?)",
        "failed": "tidak dapat diproses ({error})",
        "all_repeated": "setiap paragrafnya sama dengan {files} (disimpan di sana)",
        "no_text": "tidak ada teks artikel yang tersisa setelah pembersihan",
    },
}


def say(code: str, details: Mapping[str, object], lang: str = "en") -> str:
    """The reason ``code`` with its ``details`` in ``lang`` ("en" or "id"; anything else reads as
    Indonesian, as everywhere in the front ends); a number detail is written as ``lang`` writes it."""
    locale = "en" if lang == "en" else "id"
    values = {key: format_decimal(value, "#,##0.#", locale=locale) if isinstance(value, int | float) else value
              for key, value in details.items()}
    return REASONS[locale][code].format(**values)


def repeated_reason(kept_by: Mapping[str, int], indexed: int, lang: str = "en") -> str:
    """Why a file is indexed only in part: ``"9 paragraphs repeat 004_….txt (kept there); 1 of its own
    indexed"`` (Indonesian: ``"9 paragraf sama dengan 004_….txt (disimpan di sana); 1 paragrafnya
    sendiri diindeks"``)."""
    if lang == "en":
        repeats = ", ".join(f"{n} paragraph{'s' * (n != 1)} repeat{'s' * (n == 1)} {owner}"
                            for owner, n in kept_by.items())
        return f"{repeats} (kept there); {indexed} of its own indexed"
    repeats = ", ".join(f"{format_decimal(n, locale='id')} paragraf sama dengan {owner}"
                        for owner, n in kept_by.items())
    return f"{repeats} (disimpan di sana); {format_decimal(indexed, locale='id')} paragrafnya sendiri diindeks"
