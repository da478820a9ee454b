"""What one index build must embed, and the arrays for it: from the embedding cache, or computed now.

A text is looked up by :func:`store.text_hash` of exactly what is embedded, under the model's identity
(``Embedder.name``: :func:`identity.model_identity`, which changes when a model folder is replaced in place),
so unchanged text is never embedded twice and another model's vectors are never reused. The cache
only saves model calls: one SQLite finds damaged is set aside
(``embeddings.db.damaged``) and the work done again with a fresh one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import store
from .embedder import Embedder

log = logging.getLogger(__name__)

#: A progress callback: (texts embedded so far, texts to embed in this build).
Progress = Callable[[int, int], None]
DAMAGED_SUFFIX = ".damaged"


@dataclass
class EmbeddingJob:
    """What one build must have embedded, per kind, keyed by ``store.text_hash`` of the text."""

    passages: dict[str, str]
    sentences: dict[str, str]
    tokens: dict[str, str]

    def total(self) -> int:
        return len(self.passages) + len(self.sentences) + len(self.tokens)


def _embed(embedder: Embedder, cache: store.EmbeddingCache, job: EmbeddingJob, progress: Progress | None,
           reuse: bool = True) -> tuple[dict[str, dict[str, np.ndarray]], int]:
    """Arrays for every hash of every kind: from the cache, or computed now (in batches) and cached.

    ``reuse=False`` (a full rebuild) computes everything and overwrites the cached arrays as it
    goes; it never empties the cache first, so a rebuild that fails half-way loses nothing.
    """
    encoders = {"passage": embedder.passages, "sentence": embedder.passages, "tokens": embedder.passage_tokens}
    wanted = {"passage": job.passages, "sentence": job.sentences, "tokens": job.tokens}
    found = {kind: cache.get_many(embedder.name, kind, texts) if reuse else {} for kind, texts in wanted.items()}
    missing = {kind: [h for h in texts if h not in found[kind]] for kind, texts in wanted.items()}
    total, done, batch = sum(map(len, missing.values())), 0, 32
    for kind, hashes in missing.items():
        for i in range(0, len(hashes), batch):
            chunk = hashes[i : i + batch]
            arrays = encoders[kind]([wanted[kind][h] for h in chunk])
            cache.put_many(embedder.name, kind, chunk, list(arrays))
            found[kind].update(zip(chunk, arrays, strict=True))
            done += len(chunk)
            if progress:
                progress(done, total)
    return found, total


def _set_damaged_cache_aside(path: Path, error: sqlite3.DatabaseError) -> None:
    """Rename a cache SQLite cannot read to ``embeddings.db.damaged`` (replacing an older one).

    Its journal files go with it: left beside a new cache, SQLite would replay them into it.
    """
    aside = path.with_name(path.name + DAMAGED_SUFFIX)
    for suffix in ("", "-journal", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    log.warning("the embedding cache %s is damaged (%s): moved it to %s and started an empty one; "
                "every text is embedded again", path, error, aside)


def _damaged(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is not a database or is corrupt (not: locked, no permission)."""
    return getattr(error, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def embed(data_dir: Path, embedder: Embedder, job: EmbeddingJob, progress: Progress | None,
          reuse: bool) -> tuple[dict[str, dict[str, np.ndarray]], int]:
    """Arrays for every text of ``job`` (see :func:`_embed`), with the cache of ``data_dir``, and how
    many were computed now. A cache SQLite finds damaged, on opening it or in a page read later, is
    set aside and the work done again with a fresh one.

    The cache only saves model calls (re-embedding the corpus costs seconds), so a damaged one must
    not stop a build, now or at every build after. Any other failure (a folder in its place, no
    permission, a lock) is raised, for the build to report. Progress never goes back: a second
    attempt counts on from where the first stopped.
    """
    path = data_dir / store.CACHE_DB
    reported = 0

    def attempt(offset: int) -> tuple[dict[str, dict[str, np.ndarray]], int]:
        def counted(done: int, total: int) -> None:
            nonlocal reported
            reported = offset + done
            if progress:
                progress(offset + done, offset + total)

        with contextlib.closing(store.EmbeddingCache(path)) as cache:
            return _embed(embedder, cache, job, counted, reuse)

    try:
        return attempt(0)
    except sqlite3.DatabaseError as error:
        if not _damaged(error):
            raise
        _set_damaged_cache_aside(path, error)
    return attempt(reported)
