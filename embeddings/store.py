"""SQLite storage through sqlite-utils: one database per index generation, plus an embedding cache.

A generation's ``index.db`` holds ``articles``, ``paragraphs`` (with FTS5 over the raw text and over
a Sastrawi-stemmed copy), ``sentences`` and ``meta`` (model identity, dimension, build time).
The cache ``DATA_DIR/embeddings.db`` maps (model identity, kind, :func:`text_hash` of the exact text
embedded) to a vector (the identity: :func:`identity.model_identity`, the default model's plain name),
so unchanged text is never embedded twice, whichever generation it was first embedded
for. Two hashes, then: ``paragraphs.content_hash`` is :func:`cleaning.content_hash` of the normalized
text (repeats, and what a build added or removed); the cache's ``content_hash`` column and
``sentences.content_hash`` hold the exact text's ``text_hash``, as does ``paragraphs.passage_hash``
for the paragraph embedded with its title and section. (The columns keep their names: renaming the
cache's would make every existing cache unreadable.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import sqlite_utils

INDEX_DB = "index.db"
CACHE_DB = "embeddings.db"
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def text_hash(text: str) -> str:
    """Key of the embedding cache: SHA-256 of the exact text that is embedded."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def open_db(path: Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (or create) a database; usable from the bot's worker threads. ``readonly`` opens an
    existing one only (a missing file is an error, not a new empty database)."""
    import sqlite3

    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    return sqlite_utils.Database(conn)


def create_index_schema(db: sqlite_utils.Database) -> None:
    """Create the tables of a fresh generation database."""
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["articles"].create(
        {
            "article_id": str,
            "source_file": str,
            "outlet": str,
            "date": str,
            "date_basis": str,
            "title": str,
            "meta_source": str,
            "paragraph_count": int,
        },
        pk="article_id",
    )
    db["paragraphs"].create(
        {
            "id": int,
            "article_id": str,
            "section": str,
            "position": int,
            "text": str,
            "stemmed": str,
            "content_hash": str,
            "passage_hash": str,
            "line_no": int,
            "token_start": int,
            "token_end": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "article_id")],
    )
    db["paragraphs"].create_index(["content_hash"], unique=True)
    db["sentences"].create(
        {"id": int, "paragraph_id": int, "position": int, "start": int, "end": int, "content_hash": str},
        pk="id",
        foreign_keys=[("paragraph_id", "paragraphs", "id")],
    )
    db["sentences"].create_index(["paragraph_id"])


def enable_search(db: sqlite_utils.Database) -> None:
    """FTS5 over raw and stemmed paragraph text (built once, after the rows are in)."""
    db["paragraphs"].enable_fts(["text", "stemmed"], fts_version="FTS5", tokenize=FTS_TOKENIZER)


def write_meta(db: sqlite_utils.Database, values: dict[str, object]) -> None:
    """Record facts of a generation (model, dimension, build time) as strings in its ``meta`` table."""
    db["meta"].insert_all(({"key": k, "value": str(v)} for k, v in values.items()), replace=True)


def read_meta(db: sqlite_utils.Database) -> dict[str, str]:
    """A generation's ``meta`` table as a dict (see :func:`write_meta`)."""
    return {row["key"]: row["value"] for row in db["meta"].rows}


class EmbeddingCache:
    """Vectors keyed by (model, kind, :func:`text_hash` of the text embedded) in ``DATA_DIR/embeddings.db``.

    ``kind`` says what was embedded: ``passage`` (a paragraph with its title and section),
    ``sentence``, or ``tokens`` (a paragraph's token vectors, a float16 matrix). Arrays are stored
    as raw bytes with their dtype and row width.
    """

    def __init__(self, path: Path) -> None:
        self.db = open_db(path)
        try:  # the first read of the file: where a damaged cache shows
            self._create_table()
        except BaseException:
            self.close()  # no connection left open on a file the caller may move aside
            raise

    def _create_table(self) -> None:
        if not self.db["embeddings"].exists():
            self.db["embeddings"].create(
                {"model": str, "kind": str, "content_hash": str, "dtype": str, "dim": int, "vector": bytes},
                pk=("model", "kind", "content_hash"),
            )

    def get_many(self, model: str, kind: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """The cached arrays among ``hashes`` (missing ones are simply absent)."""
        found: dict[str, np.ndarray] = {}
        wanted = list(dict.fromkeys(hashes))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            sql = (
                "select content_hash, dtype, dim, vector from embeddings "
                f"where model = ? and kind = ? and content_hash in ({marks})"
            )
            for content_hash, dtype, dim, blob in self.db.execute(sql, [model, kind, *chunk]).fetchall():
                array = np.frombuffer(blob, dtype=dtype)
                found[content_hash] = array.reshape(-1, dim) if kind == "tokens" else array
        return found

    def put_many(self, model: str, kind: str, hashes: Sequence[str], arrays: Sequence[np.ndarray]) -> None:
        """Store ``arrays`` under their content hashes for ``model`` and ``kind``, with their dtype and
        shape, so a later build reuses them instead of embedding the same text again."""
        rows = (
            {"model": model, "kind": kind, "content_hash": h, "dtype": a.dtype.str, "dim": int(a.shape[-1]),
             "vector": np.ascontiguousarray(a).tobytes()}
            for h, a in zip(hashes, arrays, strict=True)
        )
        with self.db.conn:
            self.db["embeddings"].insert_all(rows, replace=True)

    def close(self) -> None:
        self.db.conn.close()
