"""Seed files -> cleaned articles with their metadata: what an index build reads.

Each seed file of the seeds directory (:mod:`embeddings.seed_files`: which entries are, and why the
others are not read) is read (too large, not UTF-8, unreadable or empty: skipped, with the reason),
cleaned (:mod:`embeddings.cleaning`) and given its outlet, date and title (:mod:`embeddings.metadata`,
the curated ``sources.toml`` first). A paragraph several files share is
kept once, by the file read first: curated before not, then by name (see :func:`seed_order`); a
file that loses some of its paragraphs to another is reported (:class:`records.RepeatedParagraphs`),
and :func:`seed_outcome` tells ``coverage-bot clean`` what a build would make of one file.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cleaning import CleanedArticle, clean_article, content_hash
from .errors import IndexBuildError, NoCorpus
from .metadata import SIDECAR_NAME, ArticleMeta, article_metadata, load_sidecar, without_dateline
from .os_text import as_shown
from .records import RepeatedParagraphs, SkippedFile
from .seed_files import SeedFile, list_seed_files, name_problem, nfc, read_seed, seeds_dir_problem

log = logging.getLogger(__name__)


@dataclass
class SeedArticle:
    article_id: str  #: the file name without its suffix, in NFC (:class:`seed_files.SeedFile`)
    source_file: str  #: "seeds/000_….txt": the seeds folder's name and the file's, in NFC (shown, never opened)
    cleaned: CleanedArticle
    meta: ArticleMeta
    #: Its paragraphs that another file keeps (line number -> that file's name): indexed there only.
    repeats: dict[int, str] = field(default_factory=dict)

    def repeated(self) -> RepeatedParagraphs | None:
        """How many of its paragraphs each other file keeps (``None`` when none): the report says it,
        as an admin adding a file expects its text indexed."""
        if not self.repeats:
            return None
        return RepeatedParagraphs(Path(self.source_file).name, dict(Counter(self.repeats.values())),
                                  len(self.cleaned.paragraphs))


@dataclass
class SeedOutcome:
    """What an index build makes of one seed file, in reading order (:func:`seed_order`)."""

    path: Path  #: as on disk
    result: SeedArticle | SkippedFile
    dropped: int  #: non-blank lines not indexed
    #: Paragraphs another file keeps (line number -> that file's name), whether or not the file is skipped.
    repeats: dict[int, str] = field(default_factory=dict)


def require_seeds_dir(seeds_dir: Path) -> None:
    """Raise ``NoCorpus`` when ``seeds_dir`` is missing or not a directory (checked before the model
    loads: from the wrong folder, ``SEEDS_DIR=seeds`` is not found, and a build must say so at once)."""
    if problem := seeds_dir_problem(seeds_dir):
        said = {"missing": "not found", "not_dir": "is not a directory"}[problem]
        raise NoCorpus(f"seeds directory {said}: {as_shown(str(seeds_dir))} (check SEEDS_DIR)")


def read_seeds(seeds_dir: Path) -> tuple[list[SeedArticle], list[SkippedFile], int]:
    """Clean every seed file; return the articles, the files skipped (and why), and lines dropped.

    A file that is not valid UTF-8, is empty, keeps no article text, or makes cleaning fail is
    reported and skipped; the others are indexed. Paragraphs repeated anywhere in the corpus are kept
    once, by the file read first (:func:`seed_order`: curated in ``sources.toml`` before not, then by
    name), so a mirror of a curated article never takes its paragraphs and their citation, whatever
    its name. A file left with no paragraph of its own is skipped naming the files that keep them;
    one left with some is indexed, what it lost in ``SeedArticle.repeats`` (the report's
    ``repeated_paragraphs``).
    A sidecar entry that names no seed file is reported with the skipped files: its curated facts
    would otherwise be lost without a word; so is every entry of the directory that is not read (see
    :func:`seed_files.list_seed_files`). The list is by file name, whatever the reading order: entries
    of the directory first, then sidecar entries (``SkippedFile.kind`` tells them apart).
    """
    require_seeds_dir(seeds_dir)
    sidecar = _sidecar(seeds_dir)
    files, skipped = list_seed_files(seeds_dir)
    articles: list[SeedArticle] = []
    dropped = 0
    for outcome in _read_in_order(seeds_dir, files, sidecar):
        dropped += outcome.dropped
        (articles if isinstance(outcome.result, SeedArticle) else skipped).append(outcome.result)
    articles.sort(key=lambda article: article.source_file)  # corpus order (paragraph ids) stays by name
    skipped.sort(key=lambda item: item.file)
    ids = {file.article_id for file in files}
    skipped += [SkippedFile.because(f"{SIDECAR_NAME} [{key}]", "unmatched_entry", "sidecar")
                for key in sorted(sidecar) if key not in ids]
    for item in skipped:  # also in the report, which each front end shows (or the service warns of): not twice
        log.info("skipped seed %s: %s", item.file, item.reason)
    if not articles:
        why = "; ".join(f"{item.file}: {item.reason}" for item in skipped)
        raise NoCorpus(f"no indexable article in {seeds_dir}" + (f" (skipped {why})" if why else ""))
    return articles, skipped, dropped


def seed_outcome(seeds_dir: Path, file: Path) -> SeedOutcome | None:
    """What an index build of ``seeds_dir`` makes of ``file``, as :func:`read_seeds` decides it (the
    files read before it, and only those, are read too): its paragraphs other files keep, and whether
    it is skipped. ``None`` when ``file`` is no seed file of ``seeds_dir``: ``coverage-bot clean``
    reads one file, and this is how it says what the rest of the corpus takes from it. Raises
    ``IndexBuildError`` for a ``sources.toml`` that is not valid TOML, as a build would."""
    if name_problem(file) or not (seeds_dir.is_dir() and file.resolve().parent == seeds_dir.resolve()):
        return None
    files, not_read = list_seed_files(seeds_dir)
    if skipped := next((item for item in not_read if item.file == nfc(file.name)), None):  # another's article id
        return SeedOutcome(file, skipped, 0)
    return next((o for o in _read_in_order(seeds_dir, files, _sidecar(seeds_dir)) if o.path.name == file.name), None)


def _sidecar(seeds_dir: Path) -> dict[str, dict]:
    """The curated ``sources.toml`` of ``seeds_dir``; one that is not valid TOML fails the build."""
    try:
        return load_sidecar(seeds_dir)
    except ValueError as error:
        raise IndexBuildError(str(error)) from error


def _read_in_order(seeds_dir: Path, files: list[SeedFile], sidecar: dict[str, dict]) -> Iterator[SeedOutcome]:
    """Each of ``files`` read and cleaned in :func:`seed_order`, each file's paragraphs that an earlier
    file keeps made repeats: the one place that decides who keeps a shared paragraph."""
    kept_by: dict[str, str] = {}  # hash of a kept paragraph (see _repeat_keys) -> name of the file keeping it
    folder = nfc(Path(os.path.abspath(seeds_dir)).name)  # the name given, a symlink's too (not its target's)
    for file in seed_order(files, sidecar):
        raw = read_seed(file.path)
        if isinstance(raw, SkippedFile):
            yield SeedOutcome(file.path, raw, 0)
        else:  # source_file "seeds/000_….txt", whatever the path to the folder
            yield _clean_seed(file, f"{folder}/{file.name}", raw, sidecar, kept_by)


def seed_order(files: list[SeedFile], sidecar: dict[str, dict]) -> list[SeedFile]:
    """The reading order, which decides who keeps a paragraph several files share: files curated in
    the sidecar first, then the others, each group by name. The admin's facts vouch for a curated
    article, so a mirror of it (a spam copy) added under a name that sorts first must not take its
    paragraphs; among equals the first by name keeps them."""
    return sorted(files, key=lambda file: (file.article_id not in sidecar, file.name))


def _clean_seed(file: SeedFile, source_file: str, raw: str, sidecar: dict[str, dict],
                kept_by: dict[str, str]) -> SeedOutcome:
    """Clean one seed file and attach its metadata: the article (or why it is skipped), the lines
    dropped, and its paragraphs other files keep.

    An indexed file's paragraphs are recorded in ``kept_by``; a file that fails records none, so
    their copies in later files are still indexed. Paragraphs other files keep are said honestly: a
    file left with none is skipped naming those files (not "no article text"), one that loses some is
    indexed and the loss reported (:meth:`SeedArticle.repeated`, also logged at INFO): an admin adding
    a file expects its text.
    """
    try:
        cleaned = _without_dated_copies(clean_article(raw, set(kept_by)), kept_by)
        repeats = {d.line_no: owner for d in cleaned.decisions  # read off the decisions
                   if d.kind == "duplicate" and (owner := _kept_by(d.text, kept_by))}
        # Metadata is read off the file as it stands: the lede, dateline and headline another file
        # keeps are still what this page says of itself (an updated copy of 004 with one paragraph
        # more was cited "outlet unknown, date unknown, title unknown").
        whole = clean_article(raw) if repeats else cleaned
        meta = article_metadata(file.article_id, whole, sidecar) if cleaned.paragraphs else None
    except Exception as error:  # a bug met on some odd file must not stop the others
        log.info("cleaning %s failed", file.name, exc_info=True)  # traceback for -v / the bot's log
        return SeedOutcome(file.path, SkippedFile.failed(file.name, error), 0)
    dropped = sum(1 for d in cleaned.decisions if not d.keep and d.kind != "blank")
    owners = Counter(repeats.values())  # file keeping a paragraph this one repeats -> how many it repeats
    if meta is None:
        outcome = (SkippedFile.because(file.name, "all_repeated", files=", ".join(owners)) if owners
                   else SkippedFile.because(file.name, "no_text"))
        return SeedOutcome(file.path, outcome, dropped, repeats)
    for owner, count in owners.items():
        log.info("seed %s: %d paragraph(s) repeat %s and are indexed there only", file.name, count, owner)
    for paragraph in cleaned.paragraphs:
        for key in _repeat_keys(paragraph.text):
            kept_by.setdefault(key, file.name)
    return SeedOutcome(file.path, SeedArticle(file.article_id, source_file, cleaned, meta, repeats), dropped, repeats)


def _without_dated_copies(cleaned: CleanedArticle, kept_by: dict[str, str]) -> CleanedArticle:
    """``cleaned`` without the paragraphs that are another file's kept paragraph behind a dateline of
    their own ("Mirrorsite.com, Jakarta - " + NTVNews's lede): cleaning compares whole paragraphs, so
    it keeps them, and the same sentence would be cited under two outlets. They become duplicates."""
    copied = {p.line_no for p in cleaned.paragraphs if _kept_by(p.text, kept_by)}
    if not copied:
        return cleaned
    kept = [p for p in cleaned.paragraphs if p.line_no not in copied]
    decisions = [replace(d, keep=False, kind="duplicate", reason="duplicate of a paragraph in an earlier article, "
                         "behind a dateline of its own") if d.line_no in copied else d for d in cleaned.decisions]
    return replace(cleaned, paragraphs=[replace(p, position=i) for i, p in enumerate(kept)], decisions=decisions)


def _kept_by(text: str, kept_by: dict[str, str]) -> str | None:
    """The file that keeps ``text``, with or without the dateline it opens with, if one does."""
    return next((kept_by[key] for key in _repeat_keys(text) if key in kept_by), None)


def _repeat_keys(text: str) -> list[str]:
    """The hashes a paragraph is known by: its own (:func:`cleaning.content_hash`) and, when it opens
    with an outlet's dateline ("Ntvnews.id, Moskow - Presiden …"), that of the text after it, which is
    how a mirror copies a lede (a mirror must not cite the outlet's words as its own). Recorded for
    each kept paragraph, and looked up for each new one, so a dateline dropped or added both match."""
    copied = without_dateline(text)
    return [content_hash(text)] if copied is None else [content_hash(text), content_hash(copied)]
