"""Seed files -> cleaned articles with their metadata: what an index build reads.

Each ``*.txt`` in the seeds directory is read (not UTF-8, unreadable or empty: skipped, with the
reason), cleaned (:mod:`embeddings.cleaning`) and given its outlet, date and title
(:mod:`embeddings.metadata`, the curated ``sources.toml`` first). A paragraph several files share is
kept once, by the file read first: curated before not, then by name (see :func:`seed_order`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from .cleaning import CleanedArticle, clean_article, content_hash
from .errors import IndexBuildError, NoCorpus
from .metadata import SIDECAR_NAME, ArticleMeta, article_metadata, load_sidecar, without_dateline
from .records import SkippedFile

log = logging.getLogger(__name__)

SEED_GLOB = "*.txt"


@dataclass
class SeedArticle:
    article_id: str
    source_file: str
    cleaned: CleanedArticle
    meta: ArticleMeta


def read_seeds(seeds_dir: Path) -> tuple[list[SeedArticle], list[SkippedFile], int]:
    """Clean every seed file; return the articles, the files skipped (and why), and lines dropped.

    A file that is not valid UTF-8, is empty, keeps no article text, or makes cleaning fail is
    reported and skipped; the others are indexed. Paragraphs repeated anywhere in the corpus are kept
    once, by the file read first (:func:`seed_order`: curated in ``sources.toml`` before not, then by
    name), so a mirror of a curated article never takes its paragraphs and their citation, whatever
    its name. A file left with no paragraph of its own is skipped naming the files that keep them.
    A sidecar entry that names no seed file is reported with the skipped files: its curated facts
    would otherwise be lost without a word. Both lists are by file name, whatever the reading order.
    """
    if not seeds_dir.is_dir():
        raise NoCorpus(f"seeds directory {'is not a directory' if seeds_dir.exists() else 'not found'}: {seeds_dir}")
    try:
        sidecar = load_sidecar(seeds_dir)
    except ValueError as error:
        raise IndexBuildError(str(error)) from error
    articles: list[SeedArticle] = []
    skipped: list[SkippedFile] = []
    dropped = 0
    kept_by: dict[str, str] = {}  # hash of a kept paragraph (see _repeat_keys) -> name of the file keeping it
    paths = sorted(seeds_dir.glob(SEED_GLOB))
    for path in seed_order(paths, sidecar):
        raw = read_seed(path)
        outcome, lines_dropped = (raw, 0) if isinstance(raw, SkippedFile) else _clean_seed(
            path, f"{seeds_dir.resolve().name}/{path.name}", raw, sidecar, kept_by)  # "seeds/000_….txt"
        dropped += lines_dropped
        (articles if isinstance(outcome, SeedArticle) else skipped).append(outcome)
    articles.sort(key=lambda article: article.source_file)  # corpus order (paragraph ids) stays by name
    skipped.sort(key=lambda item: item.file)
    stems = {path.stem for path in paths}
    skipped += [SkippedFile(f"{SIDECAR_NAME} [{key}]", "matches no seed file, so its facts were not used (a typo?)")
                for key in sorted(sidecar) if key not in stems]
    for item in skipped:  # also in the report, which each front end shows: not a warning twice
        log.info("skipped seed %s: %s", item.file, item.reason)
    if not articles:
        why = "; ".join(f"{item.file}: {item.reason}" for item in skipped)
        raise NoCorpus(f"no indexable article in {seeds_dir}" + (f" (skipped {why})" if why else ""))
    return articles, skipped, dropped


def seed_order(paths: list[Path], sidecar: dict[str, dict]) -> list[Path]:
    """The reading order, which decides who keeps a paragraph several files share: files curated in
    the sidecar first, then the others, each group by name. The admin's facts vouch for a curated
    article, so a mirror of it (a spam copy) added under a name that sorts first must not take its
    paragraphs; among equals the first by name keeps them."""
    return sorted(paths, key=lambda path: (path.stem not in sidecar, path.name))


def read_seed(path: Path) -> str | SkippedFile:
    """The text of one seed file, or why it cannot be indexed (not UTF-8, unreadable, empty: a byte
    order mark alone is empty too). ``coverage-bot clean`` gives the same reasons."""
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return SkippedFile(path.name, f"not valid UTF-8 (byte {error.start})")
    except OSError as error:
        return SkippedFile(path.name, f"unreadable: {error.strerror or error}")
    return raw if raw.removeprefix("\ufeff").strip() else SkippedFile(path.name, "empty file")


def _clean_seed(path: Path, source_file: str, raw: str, sidecar: dict[str, dict],
                kept_by: dict[str, str]) -> tuple[SeedArticle | SkippedFile, int]:
    """Clean one seed file and attach its metadata; return it (or why it is skipped) and the lines dropped.

    An indexed file's paragraphs are recorded in ``kept_by``; a file that fails records none, so
    their copies in later files are still indexed. Paragraphs other files keep are said honestly: a
    file left with none is skipped naming those files (not "no article text"), one that loses some is
    indexed and the loss logged at INFO (``-v``, the bot's log): an admin adding a file expects its text.
    """
    try:
        cleaned = _without_dated_copies(clean_article(raw, set(kept_by)), kept_by)
        meta = article_metadata(path.stem, cleaned, sidecar) if cleaned.paragraphs else None
    except Exception as error:  # a bug met on some odd file must not stop the others
        log.info("cleaning %s failed", path.name, exc_info=True)  # traceback for -v / the bot's log
        return SkippedFile(path.name, f"could not be processed ({type(error).__name__}: {error})"), 0
    dropped = sum(1 for d in cleaned.decisions if not d.keep and d.kind != "blank")
    owners: dict[str, int] = {}  # file keeping a paragraph this one repeats -> how many it repeats
    for decision in cleaned.decisions:  # read off the decisions: no file is cleaned twice
        if decision.kind == "duplicate" and (owner := _kept_by(decision.text, kept_by)):
            owners[owner] = owners.get(owner, 0) + 1
    if meta is None:
        return SkippedFile(path.name, f"every paragraph repeats {', '.join(owners)} (kept there)" if owners
                           else "no article text found after cleaning"), dropped
    for owner, count in owners.items():
        log.info("seed %s: %d paragraph(s) repeat %s and are indexed there only", path.name, count, owner)
    for paragraph in cleaned.paragraphs:
        for key in _repeat_keys(paragraph.text):
            kept_by.setdefault(key, path.name)
    return SeedArticle(path.stem, source_file, cleaned, meta), dropped


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
