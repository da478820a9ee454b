"""Dataclasses for the records that cross module boundaries."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .skip_reasons import repeated_reason, say


@dataclass(frozen=True)
class Article:
    """One indexed article with its curated or extracted metadata.

    ``outlet`` and ``date`` are ``None`` when the source does not say: they are never guessed.
    ``date`` is ISO ``YYYY-MM-DD``; ``date_basis`` says whether it is the ``published`` date or the
    date of the ``event`` the article reports.
    """

    article_id: str
    source_file: str
    outlet: str | None
    date: str | None
    date_basis: str | None
    title: str | None
    paragraph_count: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Result:
    """One retrieved paragraph with its verbatim extract and its citation."""

    rank: int
    article_id: str
    source_file: str
    outlet: str | None
    date: str | None
    date_basis: str | None
    title: str | None
    section: str | None
    paragraph: str
    extract: str
    score: float
    #: False for a paragraph below the relevance bar, shown only to fill the top five (the cap of two
    #: per article left room that no relevant paragraph could take): near the question, perhaps not
    #: an answer to it. The front ends say so.
    relevant: bool = True

    def to_dict(self) -> dict:
        """The JSON shape of the CLI contract (with ``date_basis`` and ``relevant`` as extra keys)."""
        return asdict(self)


@dataclass
class Answer:
    """What the core returns for a question. ``results`` is empty when ``answered`` is false."""

    question: str
    answered: bool
    results: list[Result] = field(default_factory=list)
    #: True when the question was longer than the limit and was cut before retrieval.
    truncated: bool = False
    #: How many more results past ``results`` exist for paging (the bot's "More" button).
    more: int = 0
    #: True when the filters (outlet, dates) leave no article to search: nothing was asked.
    filtered_out: bool = False
    #: The outlets the question names ("Apa kata Gate soal Taiwan?"): only their articles were searched.
    outlets_named: tuple[str, ...] = ()
    #: The outlets the question names that an explicit outlet filter leaves out ("Apa kata Gate …?"
    #: asked with ``--outlet QNews``): the filter wins, so the answer is not theirs, and the front ends
    #: say so before it.
    outlets_named_filtered_out: tuple[str, ...] = ()
    #: What the index that answered holds (same content, same value, across re-indexes): a page from
    #: an index with other content would not continue this one ("More" in the bot checks it).
    index_version: str = ""

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answered": self.answered,
            "results": [r.to_dict() for r in self.results],
        }


#: :attr:`SkippedFile.kind`: a seed file (``*.txt``) that could not be indexed; a ``sources.toml``
#: entry that names no seed file; an entry of the seeds directory that is not read at all (another
#: suffix, a subfolder). ``index --json`` tells them apart by it, as ``file`` is a file's name for the
#: first and third and ``"sources.toml [key]"`` for the second.
SKIP_KINDS = ("seed", "sidecar", "ignored")


@dataclass
class SkippedFile:
    """A seed file that could not be indexed, a sidecar entry whose facts were not used, or an entry of
    the seeds directory that is not read, and why (reported by name, never fatal); ``kind`` says which
    (:data:`SKIP_KINDS`)."""

    file: str
    reason: str  #: in English (the CLI, ``index --json``, logs); see :meth:`reason_in`
    kind: str = "seed"
    #: Which reason (:data:`skip_reasons.REASONS`) and its details, so a front end can say it in the
    #: user's language; ``""`` for a reason with no code.
    code: str = ""
    details: dict[str, object] = field(default_factory=dict)

    @classmethod
    def because(cls, file: str, code: str, kind: str = "seed", **details: object) -> SkippedFile:
        """``file`` skipped for the reason ``code`` with its ``details``, said in English."""
        return cls(file, say(code, details), kind, code, details)

    @classmethod
    def failed(cls, file: str, error: Exception) -> SkippedFile:
        """A file whose cleaning raised ``error`` (a bug met on some odd page): skipped, never fatal."""
        return cls.because(file, "failed", error=f"{type(error).__name__}: {error}")

    def reason_in(self, lang: str) -> str:
        """The reason in ``lang`` ("en" or "id"): the Telegram report is in the admin's language."""
        return say(self.code, self.details, lang) if self.code else self.reason


@dataclass
class RepeatedParagraphs:
    """An indexed seed file some of whose paragraphs other files keep (a mirror of part of an
    article): they are indexed there only, under that file's outlet and date. Reported by name."""

    file: str
    kept_by: dict[str, int]  #: the file keeping some of its paragraphs -> how many
    indexed: int  #: its own paragraphs, indexed

    @property
    def reason(self) -> str:
        """``"9 paragraphs repeat 004_….txt (kept there); 1 of its own indexed"``."""
        return repeated_reason(self.kept_by, self.indexed)

    def reason_in(self, lang: str) -> str:
        """The reason in ``lang`` ("en" or "id")."""
        return repeated_reason(self.kept_by, self.indexed, lang)


@dataclass
class IndexReport:
    """What one (re-)index did. ``embedded`` counts texts sent to the model; ``reused`` came from cache.

    ``dropped_lines`` counts non-blank lines not indexed (boilerplate and repeats); ``duplicates``
    the repeats among them; ``added``/``removed`` compare paragraphs with the generation served before.
    """

    articles: int = 0
    paragraphs: int = 0
    dropped_lines: int = 0
    duplicates: int = 0
    embedded: int = 0
    reused: int = 0
    added: int = 0
    removed: int = 0
    articles_added: int = 0
    articles_removed: int = 0
    seconds: float = 0.0
    skipped_files: list[SkippedFile] = field(default_factory=list)
    #: Indexed files that lost some paragraphs to another file (one that lost all is skipped), by name.
    repeated_paragraphs: list[RepeatedParagraphs] = field(default_factory=list)
    generation: str = ""
    model: str = ""

    def to_dict(self) -> dict:
        return asdict(self)
