"""Whether the seeds directory still holds what the served index was built from.

An admin drops new coverage into ``seeds/`` (or edits ``sources.toml``) and runs ``coverage-bot
sources`` or ``/stats`` to check it, or asks about it: without a word, the list and the answers they
get are the old index's, and nothing says the new file is not in it. So a build records a
fingerprint of the seeds it read (each seed file's and ``sources.toml``'s SHA-256, by name) in its
``meta`` table, and the current fingerprint is compared with it on demand (a few small files: well
under a millisecond each).

Content, not modification time, is compared: a fresh ``git clone`` or a copy changes every mtime and
no text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import NoCorpus
from .metadata import SIDECAR_NAME
from .os_text import as_shown
from .seed_files import MAX_SEED_BYTES, list_seed_files, seeds_dir_problem

#: The generation's ``meta`` key holding the fingerprint of the seeds it was built from.
META_KEY = "seeds"


def seeds_fingerprint(seeds_dir: Path) -> dict[str, str]:
    """Each seed file's name (NFC) and ``sources.toml``, with a digest of its content: what a build
    reads. A file over the size limit is skipped unread by a build, and stands here for its size; one
    that cannot be read for the error. Empty when there is no seeds directory; ``NoCorpus`` when it
    cannot be listed."""
    if not seeds_dir.is_dir():
        return {}
    files, _ = list_seed_files(seeds_dir)
    found = {f.name: f.path for f in files}
    if (sidecar := seeds_dir / SIDECAR_NAME).is_file():
        found[SIDECAR_NAME] = sidecar
    return {name: _digest(path) for name, path in sorted(found.items())}


def _digest(path: Path) -> str:
    try:
        if (size := path.stat().st_size) > MAX_SEED_BYTES:
            return f"size:{size}"
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        return f"error:{error.strerror or error}"


@dataclass(frozen=True)
class SeedChanges:
    """Seed files (and ``sources.toml``) added, changed or removed since the index was built, by name,
    or a seeds directory that is missing or cannot be read (then nothing else is compared)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    #: Why the seeds directory itself cannot be compared: ``"missing"``, ``"not_dir"`` or
    #: ``"unreadable"`` (``""`` when it can), and its path as given: a ``SEEDS_DIR`` run from the wrong
    #: folder must not read as "every file removed", a change ``index`` would then refuse to make.
    folder_problem: str = ""
    folder: str = ""

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.folder_problem)


def encode(fingerprint: dict[str, str]) -> str:
    """The fingerprint as stored in a generation's ``meta`` table."""
    return json.dumps(fingerprint, ensure_ascii=False, sort_keys=True)


def changes_since(recorded: str | None, seeds_dir: Path) -> SeedChanges | None:
    """What differs between the seeds a build read (``recorded``: its ``meta`` value) and
    ``seeds_dir`` now; ``None`` when the build recorded nothing to compare with (an index built
    before fingerprints were kept, or a damaged value): unknown, not "unchanged". A seeds directory
    that is missing or cannot be listed is said as such (:attr:`SeedChanges.folder_problem`)."""
    try:
        before = json.loads(recorded) if recorded else None
    except ValueError:
        before = None
    if problem := seeds_dir_problem(seeds_dir):
        return SeedChanges(folder_problem=problem, folder=as_shown(str(seeds_dir)))
    if not isinstance(before, dict):
        return None
    try:
        now = seeds_fingerprint(seeds_dir)
    except NoCorpus:  # it cannot be listed
        return SeedChanges(folder_problem="unreadable", folder=as_shown(str(seeds_dir)))
    return SeedChanges(
        added=tuple(sorted(set(now) - set(before))),
        changed=tuple(sorted(name for name in set(now) & set(before) if now[name] != before[name])),
        removed=tuple(sorted(set(before) - set(now))),
    )
