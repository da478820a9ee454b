"""Hybrid retrieval over one index generation: dense + BM25, fused, abstaining, with extracts.

Per question:

1. **Dense**: the question's e5 vector against every paragraph (embedded with its title and
   section, FAISS), plus **late interaction**: each content token of the question is matched to its
   best token in each paragraph; a token that matches one paragraph far better than the rest
   (a per-token z-score) is evidence for that paragraph. This is what carries English questions
   to the one Indonesian paragraph that says what they ask. The two are z-scored and summed.
2. **Lexical**: FTS5 BM25 over the raw text and over the Sastrawi-stemmed copy, with a query built
   from the question's content words (never from user syntax).
3. **Fusion**: weighted reciprocal rank fusion of the dense and the two BM25 rankings, then each
   next result is credited only for the parts of the question the ones above it did not cover
   (``relevance.favour_new_evidence``).
4. **Abstention** (``relevance.decide``): answered only when the evidence says so.
5. **Diversity**: no repeated paragraph; at most two paragraphs per article in the top five.
6. **Extracts**: the one or two sentences that best match the question, verbatim.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import faiss
import numpy as np
import torch

from . import store
from .casing import as_the_coverage_writes, case_forms
from .embedder import QueryEncoding
from .filters import Filters, article_passes
from .generations import PARAGRAPHS_FAISS, SENTENCES_FAISS, TOKENS_NPY
from .records import Article, Result
from .relevance import TOP, Evidence, decide, diversify, favour_new_evidence, keep_result
from .sentences import best_extract
from .text import asks_for_quantity, content_words, fts_query, question_language, states_quantity, stem
from .vocabulary import Vocabulary, outlets_named, without_words

log = logging.getLogger(__name__)
# One question searches a few thousand vectors at most: OpenMP's thread start-up costs more than
# the search itself (6 ms a call with two threads, microseconds with one).
faiss.omp_set_num_threads(1)

#: Fusion: RRF constant and the weight of each ranking (dense, BM25 raw, BM25 stemmed). BM25 over
#: Indonesian text helps Indonesian questions and misleads English ones (it can only match names),
#: so its weight depends on the question's language (measured: docs/benchmarks.md).
RRF_K = 5
RRF_WEIGHTS = {"id": (1.0, 0.5, 0.5), "en": (1.0, 0.05, 0.05), None: (1.0, 0.25, 0.25)}
#: Retrieval modes: the product uses "hybrid"; the benchmark compares it with one side alone.
MODES = ("hybrid", "dense", "bm25")
LEXICAL_DEPTH = 50


@dataclass
class Hit:
    """One candidate paragraph with its scores (internal to retrieval)."""

    paragraph_id: int
    dense: float  # z(cosine) + z(late interaction), over all paragraphs for this question
    fused: float = 0.0


@dataclass
class Reading:
    """What retrieval made of one question: the candidates best first, the evidence abstention reads
    (``None`` when nothing could be searched), and what the extracts are chosen with: the question's
    vector and its stems, both of the question as read (re-cased, in Latin letters)."""

    hits: list[Hit]
    evidence: Evidence | None
    vector: np.ndarray
    stems: set[str]


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() + 1e-6)


class Retriever:
    """Read-only view of one generation, loaded into memory once (the corpus is small)."""

    def __init__(self, folder: Path, encode_query: Callable[[str], QueryEncoding]) -> None:
        """``encode_query`` is :meth:`Embedder.query` (or a function that loads the model on first
        use: listing sources needs no model)."""
        self.folder = folder
        self.encode_query = encode_query
        self.db = store.open_db(folder / store.INDEX_DB, readonly=True)
        self.meta = store.read_meta(self.db)
        self.articles = {
            row["article_id"]: Article(
                article_id=row["article_id"], source_file=row["source_file"], outlet=row["outlet"],
                date=row["date"], date_basis=row["date_basis"], title=row["title"],
                paragraph_count=row["paragraph_count"],
            )
            for row in self.db["articles"].rows_where(order_by="article_id")
        }
        self.paragraphs = {row["id"]: row for row in self.db["paragraphs"].rows_where(order_by="id")}
        self.paragraph_ids = np.array(list(self.paragraphs), dtype=np.int64)
        #: Identifies what is indexed (model, articles' metadata, paragraphs in order): a re-index of
        #: unchanged coverage gives the same version, so answers and their pages stay comparable.
        self.version = store.text_hash(json.dumps(
            [self.meta.get("model"), [a.to_dict() for a in self.articles.values()],
             [(r["article_id"], r["section"], r["content_hash"]) for r in self.paragraphs.values()]],
        ))[:16]
        self.column = {pid: i for i, pid in enumerate(self.paragraph_ids.tolist())}  # id -> array column
        self.vocabulary = Vocabulary(self.articles, self.paragraphs.values())
        self.case_forms = case_forms((row["text"] for row in self.paragraphs.values()),
                                     names=[a.outlet for a in self.articles.values() if a.outlet])
        self.sentences: dict[int, list[dict]] = {}
        for row in self.db["sentences"].rows_where(order_by="paragraph_id, position"):
            self.sentences.setdefault(row["paragraph_id"], []).append(row)
        self.paragraph_index = faiss.read_index(str(folder / PARAGRAPHS_FAISS))
        self.sentence_index = faiss.read_index(str(folder / SENTENCES_FAISS))
        # Kept as a torch tensor: the matrix product runs on torch's thread pool, the one the model
        # just used; numpy's BLAS pool would contend with it (measured: 4x slower questions).
        self.tokens = torch.from_numpy(np.load(folder / TOKENS_NPY).astype(np.float32))
        self.token_starts = np.array([self.paragraphs[p]["token_start"] for p in self.paragraph_ids])
        self._check_files_agree()

    def _check_files_agree(self) -> None:
        """Raise ``ValueError`` if the database is damaged anywhere (SQLite's ``quick_check``: the
        full-text index is read only by a search, so damage there failed every question instead) or
        the FAISS files or the token matrix do not fit it (a file replaced or damaged by hand): the
        service then rebuilds rather than answer from them."""
        if (check := self.db.execute("pragma quick_check").fetchone()[0]) != "ok":
            raise ValueError(f"{store.INDEX_DB} is damaged: {check}")
        token_rows = max((p["token_end"] for p in self.paragraphs.values()), default=0)
        found = (self.paragraph_index.ntotal, self.sentence_index.ntotal, self.tokens.shape[0])
        expected = (len(self.paragraphs), sum(map(len, self.sentences.values())), token_rows)
        if found != expected:
            raise ValueError(f"index files disagree with {store.INDEX_DB}: {found} rows, expected {expected}")

    def close(self) -> None:
        self.db.conn.close()

    # -- the rankings -------------------------------------------------------------------------

    def _cosines(self, index: faiss.Index, qvec: np.ndarray) -> dict[int, float]:
        sims, ids = index.search(qvec[None, :], index.ntotal)
        return {int(i): float(s) for s, i in zip(sims[0], ids[0], strict=True) if i >= 0}

    def _token_matches(self, qtokens: np.ndarray) -> np.ndarray:
        """For each question token (rows) and paragraph (columns, ``paragraph_ids`` order): the
        cosine of the paragraph token that matches it best."""
        sims = (torch.from_numpy(qtokens) @ self.tokens.T).numpy()  # question tokens x paragraph tokens
        return np.maximum.reduceat(sims, self.token_starts, axis=1)

    @staticmethod
    def _token_evidence(best: np.ndarray) -> np.ndarray:
        """For each question token and paragraph: how far the paragraph's best match for that token
        stands above the other paragraphs' (a per-token z-score, positive part only). Summed over
        tokens it is the late-interaction score; per token it says which parts of the question a
        paragraph speaks to."""
        z = (best - best.mean(axis=1, keepdims=True)) / (best.std(axis=1, keepdims=True) + 1e-6)
        return np.maximum(z, 0.0)

    def _lexical(self, column: str, terms: list[str]) -> list[int]:
        """Paragraph ids ranked by FTS5 BM25 on one column for an OR of quoted terms."""
        query = fts_query(terms)
        if query is None:
            return []
        sql = (
            "select rowid from paragraphs_fts where paragraphs_fts match ? "
            "order by bm25(paragraphs_fts) limit ?"
        )
        match = "{" + column + "} : (" + query + ")"
        return [row[0] for row in self.db.execute(sql, [match, LEXICAL_DEPTH]).fetchall()]

    # -- the question -------------------------------------------------------------------------

    def evidence(self, question: str, mode: str = "hybrid", allowed: np.ndarray | None = None) -> Reading:
        """The candidates best first and the evidence abstention reads (see :class:`Reading`).

        ``allowed`` (a mask over ``paragraph_ids``, from :meth:`allowed`) keeps only the paragraphs a
        filter leaves, and the evidence is read over them alone: a question the filtered coverage
        does not answer abstains even when another outlet or date would answer it. No candidates
        (and no evidence) when the mask leaves nothing. They keep their ranks in the whole coverage,
        for which the fusion's weights were set (ranking them among themselves gives the lexical
        side more weight and lost a QNews question to a paragraph without the number it asks for);
        a lexical rank past ``LEXICAL_DEPTH`` (50) would add at most 0.5/56 and is left out.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        question = as_the_coverage_writes(question, self.case_forms, self.vocabulary.all)
        qvec, qtokens, qwords = self.encode_query(question)
        cosine = self._cosines(self.paragraph_index, qvec)
        terms = content_words(question)
        stems = list(dict.fromkeys(stem(t) for t in terms))
        if not len(qtokens):  # nothing the model reads as a token: nothing to answer from
            return Reading([], None, qvec, set(stems))
        cos = np.array([cosine[p] for p in self.paragraph_ids])
        matches = self._token_matches(qtokens)
        token_evidence = self._token_evidence(matches)
        late = token_evidence.sum(axis=0)
        dense_scores = _z(cos) + _z(late)
        dense = dict(zip(self.paragraph_ids.tolist(), dense_scores.tolist(), strict=True))
        rankings = [
            sorted(dense, key=lambda pid: -dense[pid]),
            self._lexical("text", terms),
            self._lexical("stemmed", stems),
        ]
        hits = {pid: Hit(pid, dense[pid]) for pid in dense}
        language = question_language(question)
        weights = {"hybrid": RRF_WEIGHTS[language], "dense": (1, 0, 0), "bm25": (0, 1, 1)}[mode]
        for weight, ranking in zip(weights, rankings, strict=True):
            for rank, pid in enumerate(ranking):
                hits[pid].fused += weight / (RRF_K + rank + 1)
        if allowed is None:
            allowed = np.ones(len(self.paragraph_ids), dtype=bool)
        candidates = [h for h in sorted(hits.values(), key=lambda h: -h.fused) if allowed[self.column[h.paragraph_id]]]
        if not candidates:
            return Reading([], None, qvec, set(stems))
        own = token_evidence[:, [self.column[h.paragraph_id] for h in candidates]]  # tokens x candidates
        ordered = []
        for i, score in favour_new_evidence(np.array([h.fused for h in candidates]), own,
                                            float(token_evidence.sum(axis=0).std())):
            candidates[i].fused = score  # the score it was chosen with
            ordered.append(candidates[i])
        token_best = matches.max(axis=1)  # each question token's best match anywhere in the coverage
        unknown = self.vocabulary.unknown_names(question, language, self._articles_in(allowed))
        if language == "en":
            unknown += self.vocabulary.names_without_counterpart(question, qwords, token_best)
        ev = Evidence(
            top_cosine=float(cos[allowed].max()),
            corpus_match=float(token_best.mean()),
            best_match=float(matches[:, self.column[ordered[0].paragraph_id]].mean()),
            best_dense=ordered[0].dense,
            unknown_names=tuple(unknown),
            number_missing=asks_for_quantity(question)
            and not states_quantity(self.paragraphs[ordered[0].paragraph_id]["text"]),
        )
        return Reading(ordered, ev, qvec, set(stems))

    def _articles_in(self, allowed: np.ndarray) -> set[str] | None:
        """The articles of the paragraphs ``allowed`` leaves; ``None`` when it leaves them all."""
        if allowed.all():
            return None
        return {self.paragraphs[p]["article_id"] for p in self.paragraph_ids[allowed].tolist()}

    def _paragraphs_of(self, articles: set[str]) -> np.ndarray:
        """The mask over ``paragraph_ids`` of the paragraphs of ``articles`` (the inverse of :meth:`_articles_in`)."""
        return np.array([self.paragraphs[p]["article_id"] in articles for p in self.paragraph_ids.tolist()], dtype=bool)

    def narrowed_to_named_outlets(self, question: str,
                                  allowed: np.ndarray | None) -> tuple[np.ndarray | None, str, tuple[str, ...]]:
        """``allowed`` narrowed to the articles of the outlets the question names, first word or not
        ("Apa kata Gate soal Iran?", "QNews menulis apa?"), the question without those names (they
        say where to look, not what to find: the coverage's text hardly ever names its own outlet),
        and the outlets named. As they were, and no outlet, when it names none. What an outlet said
        is then answered from that outlet, and an outlet that did not say it abstains."""
        read = as_the_coverage_writes(question, self.case_forms, self.vocabulary.all)
        if not (named := outlets_named(read, self.articles.values())):
            return allowed, question, ()
        mask = self._paragraphs_of(set(named))
        outlets = tuple(dict.fromkeys(str(self.articles[a].outlet) for a in sorted(named)))
        narrowed = mask if allowed is None else mask & allowed
        return narrowed, without_words(question, set().union(*named.values())), outlets

    def filtered_articles(self, outlet: str | None = None, since: date | None = None,
                          until: date | None = None) -> list[Article]:
        """The articles the filters leave (see :func:`filters.article_passes`)."""
        return [a for a in self.articles.values() if article_passes(a, outlet, since, until)]

    def allowed(self, outlet: str | None = None, since: date | None = None,
                until: date | None = None) -> np.ndarray | None:
        """Which paragraphs (a mask over ``paragraph_ids``) the filters leave; ``None`` without filters."""
        if not Filters(outlet, since, until):  # a blank outlet is no filter, as everywhere
            return None
        return self._paragraphs_of({a.article_id for a in self.filtered_articles(outlet, since, until)})

    def search(self, question: str, k: int = TOP, offset: int = 0, allowed: np.ndarray | None = None,
               mode: str = "hybrid") -> tuple[bool, list[Result], int]:
        """(answered, results ``offset+1..offset+k``, how many results remain after them: relevant
        ones, and the less relevant that fill the top five), among the paragraphs ``allowed`` leaves
        (see :meth:`allowed`)."""
        reading = self.evidence(question, mode, allowed)
        hits, ev = reading.hits, reading.evidence
        if ev is None or not decide(ev):
            log.info("abstained: %s", ev)
            return False, [], 0
        relevant = [h for i, h in enumerate(hits) if keep_result(h.dense, is_top=i == 0)]
        if not relevant:
            return False, [], 0
        relevant_ids = {h.paragraph_id for h in relevant}
        ordered = diversify(relevant, [h for h in hits if h.paragraph_id not in relevant_ids and h.dense > 0],
                            article_of=lambda h: self.paragraphs[h.paragraph_id]["article_id"])
        page = ordered[offset : offset + k]
        sentence_scores = self._cosines(self.sentence_index, reading.vector)
        results = []
        for i, hit in enumerate(page):
            row = self.paragraphs[hit.paragraph_id]
            article = self.articles[row["article_id"]]
            results.append(Result(
                rank=offset + i + 1, article_id=article.article_id, source_file=article.source_file,
                outlet=article.outlet, date=article.date, date_basis=article.date_basis, title=article.title,
                section=row["section"], paragraph=row["text"],
                extract=best_extract(row["text"], self.sentences.get(hit.paragraph_id, []), reading.stems,
                                     sentence_scores),
                score=round(hit.fused, 6), relevant=hit.paragraph_id in relevant_ids,
            ))
        return True, results, max(0, len(ordered) - offset - k)
