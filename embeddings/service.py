"""The plain Python API behind both front ends: ask, list sources, re-index, stats.

``CoverageService`` owns the embedding model (loaded once) and the generation being served. A
re-index builds a complete new generation and swaps the ``Retriever`` under a lock only when it is
done, so questions asked meanwhile are answered from the old one, and a failed build changes nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import generations
from .answering import answer
from .config import Settings
from .embedder import Embedder
from .embedding_job import Progress
from .errors import BuildStopped, NoCorpus
from .identity import model_identity
from .indexer import build_index
from .model import needs_build
from .question import MAX_QUESTION_CHARS, normalize_question
from .records import Answer, Article, IndexReport
from .retrieval import Retriever
from .seed_changes import META_KEY as SEEDS_META_KEY
from .seed_changes import SeedChanges, changes_since
from .seeds import require_seeds_dir

__all__ = ["MAX_QUESTION_CHARS", "CoverageService", "IndexStats"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexStats:
    articles: int
    paragraphs: int
    model: str
    generation: str
    built_at: str  # ISO timestamp (UTC) of the generation being served
    seed_changes: SeedChanges | None = None  # the seeds since it was built; None: not known


class CoverageService:
    """Thread-safe: ``ask``/``sources``/``stats`` may run in worker threads while ``reindex`` runs."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, *,
                 on_model_build: Callable[[Path], None] | None = None) -> None:
        """``on_model_build(MODELS_DIR)`` is called just before the default model is built (once per
        machine, about 20 s): a front end says so rather than leave its user waiting in silence."""
        self.settings = settings
        self._embedder = embedder
        self.on_model_build = on_model_build
        self._retriever: Retriever | None = None
        self._swap = threading.Lock()  # guards self._retriever (held for an instant)
        self._loading = threading.Lock()  # one first load (or first build) at a time
        self._model_lock = threading.Lock()  # one model load at a time
        self._builds_here = 0  # builds running in this process (``building_here``), under _swap

    @property
    def embedder(self) -> Embedder:
        """The model, loaded on first use (once, even when several threads ask at the same time)."""
        with self._model_lock:
            if self._embedder is None:
                if self.on_model_build and needs_build(self.settings.embedding_model, self.settings.model_dir):
                    self.on_model_build(self.settings.model_dir)
                self._embedder = Embedder(self.settings.embedding_model, self.settings.model_dir)
            return self._embedder

    def _model_identity(self) -> str:
        """The identity an index must have been built with to be served (:func:`identity.model_identity`):
        the loaded model's, or, before it is loaded (``sources`` loads none), what the configured
        ``EMBEDDING_MODEL`` is now. A local folder replaced in place is another identity, so its index
        is rebuilt, never mixed."""
        with self._model_lock:
            embedder = self._embedder
        return embedder.name if embedder is not None else model_identity(self.settings.embedding_model)

    def _load_current(self) -> Retriever | None:
        """The served generation, or ``None`` when there is none, it was built with another model,
        or it cannot be opened (a file deleted or damaged by hand): each case is rebuilt."""
        folder = generations.current_generation(self.settings.data_dir)
        if folder is None:
            return None
        try:  # the model is loaded on the first question (listing sources needs none)
            retriever = Retriever(folder, lambda question: self.embedder.query(question))
        except Exception as error:  # faiss, numpy and sqlite each fail in their own way
            log.warning("index generation %s cannot be opened (%s: %s); rebuilding it",
                        folder.name, type(error).__name__, error)
            return None
        identity = self._model_identity()
        if retriever.meta.get("model") != identity:
            try:  # the rebuild needs the model: one that cannot load says so before "rebuilding it" is said
                identity = self.embedder.name
            except Exception:
                retriever.close()
                raise
            if retriever.meta.get("model") == identity:  # loading it told its identity (a hub snapshot's)
                return retriever
            log.warning("index generation %s was built with %s; rebuilding it for %s", folder.name,
                        retriever.meta.get("model"), identity)
            if identity != (on_disk := model_identity(self.settings.embedding_model)):
                log.warning("the model loaded in this process (%s) is no longer what EMBEDDING_MODEL holds (%s): "
                            "restart to use the new one", identity, on_disk)
            retriever.close()
            return None
        return retriever

    def _served(self) -> Retriever | None:
        """The retriever being served, while it is still the current generation: ``None`` once
        another process (``coverage-bot index`` beside a running bot) has switched ``CURRENT``."""
        with self._swap:
            served = self._retriever
        if served is None:
            return None
        current = generations.current_generation(self.settings.data_dir)
        return served if current is None or current.name == served.folder.name else None

    def _serve(self, new: Retriever) -> Retriever:
        """Serve ``new`` unless ``CURRENT`` moved on while it loaded and the one served is already
        what ``CURRENT`` names (a first load that read ``CURRENT`` just before a re-index switched it
        must not undo the switch). An admin pointing ``CURRENT`` back at an older generation is
        followed. Returns the one served."""
        current = generations.current_generation(self.settings.data_dir)
        with self._swap:
            served = self._retriever
            if served is not None and current is not None and served.folder == current != new.folder:
                new.close()
            else:
                self._retriever = new  # the old one is left to the garbage collector: a question
                # still running on it finishes normally.
            return self._retriever

    def retriever(self, progress: Progress | None = None) -> Retriever:
        """The retriever being served; loads the current generation first if there is none or
        another process switched it, and builds the index if there is none (or it was built with
        another model: seed files changed since are not rebuilt for, only noted, see ``stats``).

        Questions arriving together on a fresh start wait for one load or build, not one each.
        """
        served = self._served()
        if served is not None:
            return served
        with self._loading:
            served = self._served_or_loaded()
            if served is None:
                self._log_unreported(self.reindex(progress=progress))
                with self._swap:
                    return self._retriever  # type: ignore[return-value]  # reindex served one
            return served

    @staticmethod
    def _log_unreported(report: IndexReport) -> None:
        """Warn of the files a build made on first use skipped or indexed in part: no front end shows
        its report (the bot's at start-up, or when a question finds the index built with another model), and an admin at
        the console must learn that a file is not indexed, or that ``sources.toml`` has a typo."""
        for item in report.skipped_files:
            log.warning("index built on first use: skipped %s: %s", item.file, item.reason)
        for item in report.repeated_paragraphs:
            log.warning("index built on first use: partly indexed %s: %s", item.file, item.reason)

    def _served_or_loaded(self) -> Retriever | None:
        """The retriever being served, or the current generation loaded and served when it opens and
        fits this model; ``None`` when there is none to serve without a build. Called with
        ``_loading`` held (one load at a time)."""
        served = self._served()
        if served is None and (current := self._load_current()) is not None:
            served = self._serve(current)
        return served

    @property
    def has_index(self) -> bool:
        """Whether a generation is current (a cheap check of ``CURRENT``: the bot asks it in its event
        loop). It may still be another model's, or damaged: see :meth:`index_ready`."""
        return generations.current_generation(self.settings.data_dir) is not None

    @property
    def building_here(self) -> bool:
        """Whether this process is building the index now (a re-index, or a first use's build)."""
        with self._swap:
            return self._builds_here > 0

    @property
    def build_running(self) -> bool:
        """Whether a build of this ``DATA_DIR`` runs now, in this process or another (cheap: a file lock)."""
        return generations.build_running(self.settings.data_dir)

    def index_ready(self) -> bool:
        """Whether there is an index to answer from without a build: a current generation that opens
        and was built with this model (it is then served). One built with another model, or damaged,
        is rebuilt on first use, as when there is none, so a front end that asks first can say so and
        show the build's progress. Waits while another thread of this process loads or builds: not for an event loop."""
        if self._served() is not None:
            return True
        with self._loading:
            return self._served_or_loaded() is not None

    def ask(self, question: str, k: int = 5, *, offset: int = 0, outlet: str | None = None,
            since: date | None = None, until: date | None = None, mode: str = "hybrid") -> Answer:
        """Answer with cited verbatim extracts, or abstain (``answered`` false, no results).

        Raises ``EmptyQuestion`` for an empty or whitespace question; a question over
        ``MAX_QUESTION_CHARS`` is cut (``answer.truncated``); a long one is read for its question
        sentences (:func:`question.question_focus`). With filters, only the coverage they
        leave is searched and must answer; ``answer.filtered_out`` says they left no article at all.
        Without an outlet filter, a question that names outlets is answered from theirs alone
        (``answer.outlets_named`` says which, so an abstention is theirs, not the whole coverage's);
        an outlet filter wins over the names, which are then only left out of what is searched for,
        and those it leaves out are in ``answer.outlets_named_filtered_out`` (the answer is not theirs).
        ``offset`` pages through results; ``mode`` ("hybrid", "dense" or "bm25") is for comparisons
        in the benchmark. A generation whose search fails on a damaged database (damage in the
        full-text index's rows, which SQLite's ``quick_check`` on opening it does not see) is rebuilt
        and the question answered from the new one.
        """
        text, truncated = normalize_question(question)
        retriever = self.retriever()
        asked = {"k": k, "offset": offset, "outlet": outlet, "since": since, "until": until, "mode": mode}
        try:
            return answer(retriever, text, truncated, **asked)
        except sqlite3.DatabaseError as error:  # damage quick_check cannot see (the full-text index's rows)
            log.warning("index generation %s is damaged (%s: %s); rebuilding it", retriever.folder.name,
                        type(error).__name__, error)
            with self._swap:
                if self._retriever is retriever:
                    self._retriever = None
            self._log_unreported(self.reindex())
            return answer(self.retriever(), text, truncated, **asked)

    def sources(self, outlet: str | None = None, since: date | None = None,
                until: date | None = None) -> list[Article]:
        """The indexed articles (those the filters leave, when given), by article id."""
        return self.retriever().filtered_articles(outlet, since, until)

    def seed_changes(self) -> SeedChanges | None:
        """Seed files added, changed or removed since the served index was built (empty when none:
        ``index`` would change nothing); ``None`` when that index recorded no fingerprint to compare."""
        return changes_since(self.retriever().meta.get(SEEDS_META_KEY), self.settings.seeds_dir)

    def reindex(self, rebuild: bool = False, progress: Progress | None = None,
                stop: threading.Event | None = None) -> IndexReport:
        """Build a new generation and serve it; raises ``IndexBuildError``/``NoCorpus`` on failure, or
        ``UnusableDirectory`` for a ``DATA_DIR`` it cannot write (the old generation keeps serving). A
        second call while one runs, here or in another process, raises ``BuildInProgress`` (an
        ``IndexBuildError``), before the model loads when it can tell. Once ``stop`` is set (the bot
        is shutting down), the build raises ``BuildStopped`` after the batch of embeddings it is
        computing, instead of making a shutdown wait for all of them (reading the seeds and writing
        the generation, seconds each, are not interrupted; nor is a build past its last batch)."""
        if self.build_running:
            raise generations.build_in_progress()
        require_seeds_dir(self.settings.seeds_dir)  # before the model loads (or is built, 466 MB)

        def until_stopped(done: int, total: int) -> None:
            if stop is not None and stop.is_set() and done < total:  # the last batch: writing is quick
                raise BuildStopped(f"stopped after embedding {done} of {total} texts (kept for the next re-index)")
            if progress:
                progress(done, total)

        with self._swap:
            self._builds_here += 1
        try:
            report = build_index(self.settings, self.embedder, rebuild=rebuild, progress=until_stopped)
        finally:
            with self._swap:
                self._builds_here -= 1
        new = self._load_current()
        if new is None:  # pragma: no cover - commit just pointed CURRENT at it
            raise NoCorpus("the new index generation could not be opened")
        self._serve(new)
        return report

    def stats(self) -> IndexStats:
        """What is served: article and paragraph counts, the model, the generation and when it was built."""
        r = self.retriever()
        return IndexStats(
            articles=len(r.articles), paragraphs=len(r.paragraphs), model=r.meta.get("model", ""),
            generation=r.folder.name, built_at=r.meta.get("built_at", ""),
            seed_changes=changes_since(r.meta.get(SEEDS_META_KEY), self.settings.seeds_dir),
        )
