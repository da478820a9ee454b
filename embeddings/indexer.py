"""Seeds -> a complete new index generation: clean, attach metadata, embed what is new, switch.

Incremental: paragraphs and sentences are embedded only when the hash of the exact text embedded
(``store.text_hash``) is not in the embedding cache for this model (:mod:`embeddings.embedding_job`),
so an unchanged corpus costs zero model calls. (A paragraph's ``content_hash`` is another hash, of its
normalized text (``cleaning.content_hash``): it finds repeated paragraphs and says what a build added
or removed.) Atomic: everything is written into a hidden build directory and switched to only when
complete; any failure leaves the previous generation serving and is raised as ``IndexBuildError``
naming what failed.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from . import generations, store
from .cleaning import CleanedArticle, CleanParagraph, clean_article, content_hash
from .config import Settings
from .embedder import Embedder
from .embedding_job import EmbeddingJob, Progress, embed
from .errors import CoverageError, IndexBuildError, NoCorpus
from .metadata import SIDECAR_NAME, ArticleMeta, article_metadata, load_sidecar, without_dateline
from .records import IndexReport, SkippedFile
from .sentences import sentence_spans
from .store import text_hash
from .text import stemmed_text

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
        cleaned = clean_article(raw, set(kept_by))
        meta = article_metadata(path.stem, cleaned, sidecar) if cleaned.paragraphs else None
    except Exception as error:  # a bug met on some odd file must not stop the others
        log.info("cleaning %s failed", path.name, exc_info=True)  # traceback for -v / the bot's log
        return SkippedFile(path.name, f"could not be processed ({type(error).__name__}: {error})"), 0
    dropped = sum(1 for d in cleaned.decisions if not d.keep and d.kind != "blank")
    owners: dict[str, int] = {}  # file keeping a paragraph this one repeats -> how many it repeats
    for decision in cleaned.decisions:  # read off the decisions: no file is cleaned twice
        if decision.kind == "duplicate" and (owner := kept_by.get(content_hash(decision.text))):
            owners[owner] = owners.get(owner, 0) + 1
    if meta is None:
        return SkippedFile(path.name, f"every paragraph repeats {', '.join(owners)} (kept there)" if owners
                           else "no article text found after cleaning"), dropped
    for owner, count in owners.items():
        log.info("seed %s: %d paragraph(s) repeat %s and are indexed there only", path.name, count, owner)
    for paragraph in cleaned.paragraphs:
        for key in _repeat_keys(paragraph):
            kept_by.setdefault(key, path.name)
    return SeedArticle(path.stem, source_file, cleaned, meta), dropped


def _repeat_keys(paragraph: CleanParagraph) -> list[str]:
    """The hashes a later copy of a kept paragraph has: its own and, when it opens with an outlet's
    dateline ("Ntvnews.id, Moskow - Presiden …"), that of the text after it, which is how a mirror
    copies a lede (a mirror must not cite the outlet's words as its own)."""
    copied = without_dateline(paragraph.text)
    return [paragraph.content_hash] if copied is None else [paragraph.content_hash, content_hash(copied)]


def passage_text(title: str | None, section: str | None, text: str) -> str:
    """What is embedded for a paragraph: its article title and section heading, then the text.

    Titles and headings are never results on their own, but they tell the model what a paragraph
    is about ("Itu adalah pertemuan pribadi pertama…" is about the Samarkand summit).
    """
    return ". ".join([*(part.rstrip(". ") for part in (title, section) if part), text])


def _write_faiss(path: Path, ids: list[int], matrix: np.ndarray) -> None:
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(matrix.shape[1]))
    if ids:
        index.add_with_ids(matrix, np.asarray(ids, dtype=np.int64))
    faiss.write_index(index, str(path))


def _served_hashes_and_article_ids(data_dir: Path) -> tuple[set[str], set[str]]:
    """Paragraph content hashes and article ids of the generation being served (for the change report).

    Opened read-only, as every reader of a served generation does: a database removed meanwhile (a
    prune, a hand) is an error here, never an empty one created in its place, and reads as "nothing
    served before", as does a damaged one (the report then counts everything as new).
    """
    current = generations.current_generation(data_dir)
    if current is None:
        return set(), set()
    path = current / store.INDEX_DB
    try:
        with contextlib.closing(store.open_db(path, readonly=True)) as db:
            return ({r["content_hash"] for r in db["paragraphs"].rows},
                    {r["article_id"] for r in db["articles"].rows})
    except sqlite3.Error as error:
        if path.exists():  # a damaged generation (the service has warned of it); a vanished one
            log.info("cannot read the served generation %s (%s)", current.name, error)
        return set(), set()


@dataclass
class Plan:
    """The rows of one generation, before embedding, and what they need embedded.

    Built once per build: the embedding job and the rows written are the same texts by
    construction. Token ranges (``token_start``/``token_end``) are filled at write time, when the
    token matrices are known.
    """

    paragraphs: list[dict]
    sentences: list[dict]
    job: EmbeddingJob


def plan_generation(articles: list[SeedArticle]) -> Plan:
    """Paragraph and sentence rows (ids from 1, in corpus order) and the texts to embed for them."""
    plan = Plan([], [], EmbeddingJob({}, {}, {}))
    for article in articles:
        for p in article.cleaned.paragraphs:
            passage = passage_text(article.meta.title, p.section, p.text)
            row = {
                "id": len(plan.paragraphs) + 1, "article_id": article.article_id, "section": p.section,
                "position": p.position, "text": p.text, "stemmed": stemmed_text(p.text),
                "content_hash": p.content_hash, "passage_hash": text_hash(passage), "line_no": p.line_no,
            }
            plan.paragraphs.append(row)
            plan.job.passages[row["passage_hash"]] = passage
            plan.job.tokens[text_hash(p.text)] = p.text
            for n, (start, end) in enumerate(sentence_spans(p.text)):
                sentence = p.text[start:end]
                plan.sentences.append({
                    "id": len(plan.sentences) + 1, "paragraph_id": row["id"], "position": n, "start": start,
                    "end": end, "content_hash": text_hash(sentence),
                })
                plan.job.sentences[text_hash(sentence)] = sentence
    return plan


def write_generation(folder: Path, articles: list[SeedArticle], plan: Plan,
                     vectors: dict[str, dict[str, np.ndarray]], model: str, dim: int) -> None:
    """Write index.db, the two FAISS files and the token matrix of one generation."""
    token_blocks, token_count = [], 0
    paragraph_rows = []
    for row in plan.paragraphs:
        tokens = vectors["tokens"][text_hash(row["text"])]
        paragraph_rows.append({**row, "token_start": token_count, "token_end": token_count + len(tokens)})
        token_blocks.append(tokens)
        token_count += len(tokens)
    db = store.open_db(folder / store.INDEX_DB)
    try:  # closed on failure too: the build folder is then deleted
        store.create_index_schema(db)
        with db.conn:
            db["articles"].insert_all({
                "article_id": a.article_id, "source_file": a.source_file, "outlet": a.meta.outlet,
                "date": a.meta.date, "date_basis": a.meta.date_basis, "title": a.meta.title,
                "meta_source": a.meta.source, "paragraph_count": len(a.cleaned.paragraphs),
            } for a in articles)
            db["paragraphs"].insert_all(paragraph_rows)
            db["sentences"].insert_all(plan.sentences)
            store.write_meta(db, {"model": model, "dim": dim,
                                  "built_at": datetime.now(UTC).isoformat(timespec="seconds")})
        store.enable_search(db)
    finally:
        db.conn.close()
    for name, kind, key, rows in ((generations.PARAGRAPHS_FAISS, "passage", "passage_hash", paragraph_rows),
                                  (generations.SENTENCES_FAISS, "sentence", "content_hash", plan.sentences)):
        matrix = np.vstack([vectors[kind][r[key]] for r in rows]).astype(np.float32)
        _write_faiss(folder / name, [r["id"] for r in rows], matrix)
    np.save(folder / generations.TOKENS_NPY, np.vstack(token_blocks).astype(np.float16))


def _build_failed(error: Exception) -> IndexBuildError:
    """Log an unexpected failure's traceback at INFO (``-v``, the bot's log); the error the front ends
    show names it in one line."""
    log.info("index build failed; the index in use, if any, is unchanged", exc_info=True)
    return IndexBuildError(f"index build failed ({type(error).__name__}: {error}); "
                           "the index in use, if any, is unchanged")


def build_index(settings: Settings, embedder: Embedder, rebuild: bool = False,
                progress: Progress | None = None) -> IndexReport:
    """Build a new generation from ``settings.seeds_dir`` and switch to it; see the module docstring.

    Raises ``NoCorpus`` (no seeds directory / nothing indexable), ``IndexBuildError``, or
    ``UnusableDirectory`` (``DATA_DIR`` cannot be written); in each case the previously served
    generation, if any, is untouched and keeps serving.
    """
    started = time.perf_counter()
    data_dir = settings.data_dir
    with generations.build_lock(data_dir):
        articles, skipped, dropped = read_seeds(settings.seeds_dir)
        old_hashes, old_ids = _served_hashes_and_article_ids(data_dir)
        plan = plan_generation(articles)
        building: Path | None = None
        try:  # everything from here on: a failure removes the build folder and names what failed
            building = generations.start_generation(data_dir)
            vectors, embedded = embed(data_dir, embedder, plan.job, progress, reuse=not rebuild)
            write_generation(building, articles, plan, vectors, embedder.name, embedder.dim)
            final = generations.commit_generation(data_dir, building)
        except Exception as error:
            if building is not None:
                generations.abandon_generation(building)
            if isinstance(error, CoverageError):
                raise
            raise _build_failed(error) from error
    new_hashes = {p.content_hash for a in articles for p in a.cleaned.paragraphs}
    new_ids = {a.article_id for a in articles}
    report = IndexReport(
        articles=len(articles), paragraphs=len(new_hashes), dropped_lines=dropped,
        duplicates=sum(d.kind == "duplicate" for a in articles for d in a.cleaned.decisions),
        embedded=embedded, reused=plan.job.total() - embedded,
        added=len(new_hashes - old_hashes), removed=len(old_hashes - new_hashes),
        articles_added=len(new_ids - old_ids), articles_removed=len(old_ids - new_ids),
        seconds=round(time.perf_counter() - started, 3), skipped_files=skipped,
        generation=final.name, model=embedder.name,
    )
    log.info("index built: %s", report)
    return report
