"""The seeds directory -> the seed files an index build reads, and the text of one of them.

An entry is a seed file when it is a file whose suffix is ``.txt`` in any case (``905_cnbc.TXT`` too)
and whose name does not start with "." (hidden files are what editors and OSes leave: ``.DS_Store``,
``._905_cnbc.txt``, ``.901.txt.swp``; they are ignored without a word). Every other entry is reported
with the reason it is not read (a file with another suffix, a subfolder), except ``sources.toml``:
an admin who saved a page as ``.html`` or filed seeds in a subfolder learns why they are not indexed.

Names are matched and shown in Unicode NFC: a name copied from macOS is often decomposed (NFD), and
``sources.toml`` typed on a keyboard composed; the two look identical and must be one article. The
name on disk is only used to read the file (:attr:`SeedFile.path`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import NoCorpus
from .metadata import SIDECAR_NAME
from .os_text import as_shown, holds_non_utf8, utf8_position
from .records import SkippedFile

SEED_SUFFIX = ".txt"

MAX_SEED_BYTES = 1_000_000
"""A seed file larger than this (1 MB) is skipped, not read. A news article's text is a few to a few
tens of kB (the bundled seeds: 3-8 kB, the longest pages seen about 100 kB); a file this size is
something else (a book, a dump, several pages concatenated), and cleaning and embedding a 20 MB one
(27,000 paragraphs) ran for hours holding the build lock, with no word of why."""


@dataclass(frozen=True)
class SeedFile:
    """A seed file: where it is on disk, and the names it is known by (NFC)."""

    path: Path  #: as on disk: the only way to read it

    @property
    def name(self) -> str:
        """The file name in NFC: what reports, ``source_file`` and ``clean`` show."""
        return nfc(self.path.name)

    @property
    def article_id(self) -> str:
        """The name without its suffix, in NFC: the key ``sources.toml`` curates it under."""
        return nfc(self.path.stem)


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (composed): how names are compared and shown."""
    return unicodedata.normalize("NFC", text)


def seeds_dir_problem(seeds_dir: Path) -> str | None:
    """``"missing"`` or ``"not_dir"`` when ``seeds_dir`` is no directory to read seeds from, else ``None``."""
    if seeds_dir.is_dir():
        return None
    return "not_dir" if seeds_dir.exists() else "missing"


def name_problem(path: Path) -> str | None:
    """Why ``index`` does not read ``path`` as a seed file, judged by its name alone: the reason's
    code (:data:`skip_reasons.REASONS`: a hidden file, another suffix, a name that is not UTF-8), or
    ``None``. ``clean FILE`` says it as ``index`` would."""
    if path.name.startswith("."):
        return "hidden"
    if path.suffix.lower() != SEED_SUFFIX:
        return "not_txt"
    if holds_non_utf8(path.name):  # the index, its reports and sources.toml keys are UTF-8
        return "name_not_utf8"
    return None


def list_seed_files(seeds_dir: Path) -> tuple[list[SeedFile], list[SkippedFile]]:
    """The seed files of ``seeds_dir`` by name (NFC), and the entries not read, with their reasons.

    Hidden entries and ``sources.toml`` are left out of both. Two files with one article id (names
    that differ only in the suffix's case, ``a.txt``/``a.TXT``, or in Unicode form) cannot both be
    indexed: the first by name is, the other is skipped naming it; so is a ``.txt`` whose name is not
    UTF-8 (shown with ``\\xe9`` for each such byte). A folder that cannot be listed raises ``NoCorpus``.
    """
    seeds: dict[str, SeedFile] = {}
    skipped: list[SkippedFile] = []
    try:
        entries = sorted(seeds_dir.iterdir(), key=lambda p: (nfc(p.name), p.name))
    except OSError as error:  # no permission to list it (a file or a missing folder is said before)
        why = error.strerror or error
        raise NoCorpus(f"cannot read the seeds directory {as_shown(str(seeds_dir))}: {why}") from None
    for path in entries:
        name = nfc(path.name)
        if name.startswith(".") or name == SIDECAR_NAME:
            continue
        if path.is_dir():
            skipped.append(SkippedFile.because(f"{as_shown(name)}/", "folder", "ignored"))
        elif (problem := name_problem(path)) is not None:  # a .txt only its name keeps out is a seed
            kind = "seed" if problem == "name_not_utf8" else "ignored"
            skipped.append(SkippedFile.because(as_shown(name), problem, kind))
        elif not path.is_file():
            skipped.append(SkippedFile.because(name, "not_regular"))
        elif (seed := SeedFile(path)).article_id in seeds:
            first = seeds[seed.article_id].name
            skipped.append(SkippedFile.because(name, "same_id", first=first))
        else:
            seeds[seed.article_id] = seed
    return list(seeds.values()), skipped


def read_seed(path: Path) -> str | SkippedFile:
    """The text of one seed file, or why it cannot be indexed (not a regular file, over
    :data:`MAX_SEED_BYTES`, not UTF-8, unreadable, empty: a byte order mark alone is empty too).
    ``coverage-bot clean`` gives the same reasons."""
    name = nfc(path.name)
    if path.exists() and not path.is_file():  # a named pipe would block the read (`clean FILE` hung on one)
        return SkippedFile.because(name, "not_regular")
    try:
        if (size := path.stat().st_size) > MAX_SEED_BYTES:
            return SkippedFile.because(name, "too_large", size_mb=_megabytes(size),
                                       limit_mb=_megabytes(MAX_SEED_BYTES))
        data = path.read_bytes()
        raw = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return SkippedFile.because(name, "not_utf8", **utf8_position(data, error.start))
    except OSError as error:
        return SkippedFile.because(name, "unreadable", error=str(error.strerror or error))
    return raw if raw.removeprefix("\ufeff").strip() else SkippedFile.because(name, "empty")


def _megabytes(size: int) -> float:
    """Decimal megabytes (as file managers show them) to one decimal: ``20.9``; the reason writes it as
    its language does (``20,9`` in Indonesian), a round limit without decimals (``1``)."""
    return round(size / 1_000_000, 1)
