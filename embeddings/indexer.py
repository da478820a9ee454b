"""Seeds -> a complete new index generation: read and clean them (:mod:`embeddings.seeds`), embed
what is new, write the generation, switch.

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
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from . import generations, seed_changes, store
from .config import Settings
from .embedder import Embedder
from .embedding_job import EmbeddingJob, Progress, embed
from .errors import CoverageError, IndexBuildError
from .records import IndexReport
from .seed_changes import seeds_fingerprint
from .seeds import SeedArticle, read_seeds
from .sentences import sentence_spans
from .store import text_hash
from .text import stemmed_text

log = logging.getLogger(__name__)


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
                     vectors: dict[str, dict[str, np.ndarray]], model: str, dim: int,
                     seeds: dict[str, str]) -> None:
    """Write index.db, the two FAISS files and the token matrix of one generation; ``seeds`` is the
    fingerprint of the seeds read (:func:`seed_changes.seeds_fingerprint`)."""
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
                                  "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                  seed_changes.META_KEY: seed_changes.encode(seeds)})
        store.enable_search(db)
    finally:
        db.conn.close()
    for name, kind, key, rows in ((generations.PARAGRAPHS_FAISS, "passage", "passage_hash", paragraph_rows),
                                  (generations.SENTENCES_FAISS, "sentence", "content_hash", plan.sentences)):
        matrix = np.vstack([vectors[kind][r[key]] for r in rows]).astype(np.float32)
        _write_faiss(folder / name, [r["id"] for r in rows], matrix)
    np.save(folder / generations.TOKENS_NPY, np.vstack(token_blocks).astype(np.float16))


def _build_failed(error: Exception, data_dir: Path) -> IndexBuildError:
    """Log an unexpected failure's traceback at INFO (``-v``, the bot's log); the error the front ends
    show names it in one line. A failure to write says how much room the disk has left: numpy's
    "1245312 requested and 507840 written" does not say the disk is full."""
    log.info("index build failed; the index in use, if any, is unchanged", exc_info=True)
    room = ""
    if isinstance(error, OSError | sqlite3.Error):
        with contextlib.suppress(OSError):
            room = f"; {shutil.disk_usage(data_dir).free / 1e6:,.1f} MB free on the disk of DATA_DIR {data_dir}"
    return IndexBuildError(f"index build failed ({type(error).__name__}: {error}{room}); "
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
        # Before reading: a file changed in between then reads as changed, never as indexed when it is not.
        fingerprint = seeds_fingerprint(settings.seeds_dir)
        articles, skipped, dropped = read_seeds(settings.seeds_dir)
        old_hashes, old_ids = _served_hashes_and_article_ids(data_dir)
        plan = plan_generation(articles)
        building: Path | None = None
        try:  # everything from here on: a failure removes the build folder and names what failed
            building = generations.start_generation(data_dir)
            vectors, embedded = embed(data_dir, embedder, plan.job, progress, reuse=not rebuild)
            write_generation(building, articles, plan, vectors, embedder.name, embedder.dim, fingerprint)
            final = generations.commit_generation(data_dir, building)
        except Exception as error:
            if building is not None:
                generations.abandon_generation(building)
            if isinstance(error, CoverageError):
                raise
            raise _build_failed(error, data_dir) from error
    new_hashes = {p.content_hash for a in articles for p in a.cleaned.paragraphs}
    new_ids = {a.article_id for a in articles}
    report = IndexReport(
        articles=len(articles), paragraphs=len(new_hashes), dropped_lines=dropped,
        duplicates=sum(d.kind == "duplicate" for a in articles for d in a.cleaned.decisions),
        embedded=embedded, reused=plan.job.total() - embedded,
        added=len(new_hashes - old_hashes), removed=len(old_hashes - new_hashes),
        articles_added=len(new_ids - old_ids), articles_removed=len(old_ids - new_ids),
        seconds=round(time.perf_counter() - started, 3), skipped_files=skipped,
        repeated_paragraphs=[r for a in articles if (r := a.repeated())],
        generation=final.name, model=embedder.name,
    )
    log.info("index built: %s", report)
    return report
