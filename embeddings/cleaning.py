"""Raw scraped text -> the article's title, its kept paragraphs and the section heading of each.

Only article prose may reach the index: the product quotes paragraphs verbatim, so a kept
site-chrome line would be quoted as if the outlet had written it. The classifier is jusText (run
once over the whole page, one ``<p>`` per non-blank line, so its context-sensitive pass sees the
neighbours; with the stop list of the page's language, Indonesian unless its words say otherwise:
:mod:`embeddings.classification`), plus named rules for what it misses (:mod:`embeddings.chrome`;
photos' captions and charts' titles: :mod:`embeddings.captions`) and the sentences it drops that the
paragraphs beside them (:func:`embeddings.lines.stray_sentences`) or a pagination widget above them
(:func:`embeddings.pagination.next_pages`) vouch for. Structure is then read off the
classification (shapes and runs of lines: :mod:`embeddings.lines`): the article *body* runs from the
first to the last content paragraph (and never past the page's copyright line); the title is the
longest headline-like line before the body that is no stamp and no deck (or, when the page has none,
the headline-like line that introduces a repeated copy of the article); short headline-like lines
inside the body are section headings. Repeated paragraphs are dropped corpus-wide by a hash of
normalized text.

Nothing here reads files; paragraph text is never rewritten (only surrounding whitespace stripped).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .captions import captions, media_label
from .chrome import matched_rule
from .classification import GOOD_DENSITY, classify, density
from .dates import is_stamp
from .languages import DEFAULT_LANGUAGE, page_language
from .lines import (
    HEADING_MIN_WORDS,
    deck_like,
    footer_line,
    has_clock,
    header_chrome,
    headline_like,
    listing_lines,
    question_headline,
    related_label,
    skipped_boxes,
    stray_sentences,
)
from .pagination import next_pages, widgets

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: A listicle's numbered heading ("2. China tegaskan sikap"), a heading even under a related link.
_NUMBERED = re.compile(r"^\d{1,2}\.\s+\S")
#: Opening quotes and brackets a heading may start with before its first digit.
_OPENING = "\"'“‘(["

#: ``sidebar``: a listing of other articles before the body (see :func:`lines.listing_lines`).
KINDS = ("title", "heading", "paragraph", "boilerplate", "sidebar", "duplicate", "blank")


@dataclass(frozen=True)
class LineDecision:
    """What happened to one input line (blank lines included), for ``explain`` and the indexer."""

    line_no: int
    text: str
    keep: bool
    kind: str
    reason: str


@dataclass(frozen=True)
class CleanParagraph:
    """One kept paragraph: verbatim ``text``, its 0-based ``position`` among the kept ones, the
    heading it sits under (``section``) and its 1-based ``line_no`` in the raw file."""

    position: int
    section: str | None
    text: str
    content_hash: str
    line_no: int


@dataclass
class CleanedArticle:
    """The result for one article: title, kept paragraphs, one decision per input line, headings."""

    title: str | None
    paragraphs: list[CleanParagraph] = field(default_factory=list)
    decisions: list[LineDecision] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    language: str = DEFAULT_LANGUAGE  # the jusText stop list the page was classified with


_FOLD = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})  # fmt: skip


def normalize_text(text: str) -> str:
    """NFKC, curly quotes and dashes folded to ASCII, case folded, whitespace collapsed.

    Used only for hashing/comparison, never for the stored text."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return " ".join(text.split())


def content_hash(text: str) -> str:
    """sha256 hex of ``normalize_text(text)``: equal for copies that differ only in typography."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def clean_article(text: str, seen_hashes: set[str] | None = None) -> CleanedArticle:
    """Classify every line of one scraped article and return its title, paragraphs and headings.

    ``seen_hashes`` is the corpus-wide set of kept paragraph hashes (mutated): a paragraph whose
    hash is already in it becomes a ``duplicate``. Pass one set through all files of a corpus.
    """
    seen = set() if seen_hashes is None else seen_hashes
    raw = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    if raw and raw[-1] == "":
        raw.pop()
    lines = [_CONTROL.sub(" ", t).strip() for t in raw]  # a NUL or escape is no part of the text
    language = page_language(lines)
    jt = classify(lines, language)
    rule = {i: matched_rule(t) for i, t in enumerate(lines) if t}
    rule.update({i: "photo-caption" for i in captions(lines) if not rule[i]})  # a credit under it
    rule.update({i: "pagination" for run in widgets(lines) for i in run if not rule[i]})
    rule.update(skipped_boxes(lines))
    rule.update(header_chrome(lines, jt, rule))  # a deck, a summary box

    # jusText keeps a "near-good" line (70-200 characters of prose) only beside a good one: an article
    # written in short paragraphs only would lose all of them. With no good line at all, they count.
    prose = ("good", "bad (neargood)") if not any(c.startswith("good") for c in jt.values()) else ("good",)

    def judged(i: int) -> bool:
        t = lines[i]
        return jt.get(i, "").startswith(prose) and not rule[i] and not headline_like(t) and not question_headline(t)

    credits = {i for i in rule if rule[i] == "photo-caption"}

    def dense(t: str) -> float:
        return density(t, language)

    stray = stray_sentences(
        lines, [i for i, t in enumerate(lines) if t and judged(i)], dropped={i for i in rule if rule[i]},
        credits=credits, short={i for i, c in jt.items() if c.endswith("(short)")}, density=dense, good=GOOD_DENSITY)
    # the next page's sentences under a pagination widget (its paragraphs jusText judges as any other)
    paged = next_pages(lines, [i for i, t in enumerate(lines) if t and (judged(i) or i in stray)], rule=rule,
                       credits=credits, density=dense)

    def content(i: int) -> bool:
        return judged(i) or i in stray or i in paged

    def why(i: int) -> str:
        return f"rule: {rule[i]}" if rule[i] else f"jusText: {jt.get(i, 'no text')}"

    body = [i for i, t in enumerate(lines) if t and content(i)]
    footer = footer_line(lines, body, rule)
    body = [i for i in body if footer is None or i < footer]
    first, last = (body[0], body[-1]) if body else (len(lines), -1)
    lede = content_hash(lines[first]) if body else None
    decided: dict[int, tuple[str, str]] = {}
    title: str | None = None
    title_line = -1

    listing = listing_lines(lines, first)
    # The title is the longest headline-like line of the header outside a listing (the first of
    # equals), never a time stamp: a site's name or a menu item above it ("South China Morning
    # Post") is shorter. A deck (DECK_WORDS or more) right under a headline is longer: the headline wins.
    candidates = [i for i in range(first) if lines[i] and i not in listing and not rule[i]
                  and headline_like(lines[i], title=True) and not is_stamp(lines[i])]  # fmt: skip
    if candidates:
        title_line = max(candidates, key=lambda i: (len(lines[i].split()), -i))
        above = next((j for j in range(title_line - 1, -1, -1) if lines[j]), None)
        if above in candidates and deck_like(lines[title_line]):
            title_line = above
        title = lines[title_line]
    for i in range(first):
        t = lines[i]
        if not t:
            continue
        if i in listing:
            decided[i] = ("sidebar", "a listing of other articles (headline + time stamp pairs)")
        elif i == title_line:
            decided[i] = ("title", "title: longest headline-like line before the body")
        elif title is not None and content_hash(t) == content_hash(title):
            decided[i] = ("duplicate", f"duplicate of title (line {title_line + 1})")
        else:
            decided[i] = ("boilerplate", f"{why(i)}; before the article body")

    headings: dict[int, str] = {}  # line index -> heading text, for candidates inside the body
    section_of: dict[int, int | None] = {}  # paragraph line index -> heading line index
    current: int | None = None
    local: dict[str, int] = {}
    related = False  # after a "Baca juga:" / "RELATED COVERAGE" label, until the next paragraph
    for i in range(first, last + 1):
        t = lines[i]
        if not t:
            continue
        nxt = next((j for j in range(i + 1, last + 1) if lines[j]), None)
        is_content = content(i)
        related = (related or related_label(t)) and not is_content
        if is_content:
            h = content_hash(t)
            if h in seen:
                where = f"line {local[h] + 1}" if h in local else "a paragraph in an earlier article"
                decided[i] = ("duplicate", f"duplicate of {where}")
            else:
                seen.add(h)
                local[h] = i
                near = "" if jt[i].startswith("good") else "; the article has no good line, so near-good prose counts"
                near = "; a sentence the paragraphs beside it vouch for" if i in stray else near
                near = "; the next page's text, under a pagination widget" if i in paged else near
                decided[i] = ("paragraph", f"jusText: {jt[i]}{near}")
                section_of[i] = current
        elif rule[i]:
            decided[i] = ("boilerplate", why(i))
        elif headline_like(t, title=True) and nxt is not None and content_hash(lines[nxt]) == lede:
            current = None  # a headline introducing a repeated copy of the article
            if title is None:
                title, title_line = t, i
                decided[i] = ("title", "title: headline before a repeated copy of the article")
            elif content_hash(t) == content_hash(title):
                decided[i] = ("duplicate", f"duplicate of title (line {title_line + 1})")
            else:
                decided[i] = ("boilerplate", "headline of a repeated copy of the article")
        elif not jt.get(i, "").startswith("good"):
            decided[i] = ("boilerplate", why(i))
        elif len(t.split()) < HEADING_MIN_WORDS:
            decided[i] = ("boilerplate", f"{why(i)}; a single word is no heading")
        elif related and not _NUMBERED.match(t):  # "2. China tegaskan sikap" is a listicle's heading
            decided[i] = ("boilerplate", "a headline after a related-articles label, not a heading")
        elif has_clock(t) or is_stamp(t):
            decided[i] = ("boilerplate", f"{why(i)}; a time stamp is no heading")
        elif not next((c for c in t if c.isalnum()), "a").isupper() and not t.lstrip(_OPENING)[:1].isdigit():
            decided[i] = ("boilerplate", f"{why(i)}; a heading starts with a capital (a tag does not)")
        elif nxt is not None and media_label(lines[nxt]):
            decided[i] = ("boilerplate", f"{why(i)}; a chart's or video's title (a source or duration under it)")
        else:
            headings[i] = t
            current = i

    used = {h for h in section_of.values() if h is not None}
    for i, t in headings.items():
        earlier = [j for j in headings if j < i and content_hash(headings[j]) == content_hash(t)]
        if i in used:
            decided[i] = ("heading", f"heading: short line between paragraphs (jusText: {jt[i]})")
        elif earlier:
            decided[i] = ("duplicate", f"duplicate of heading (line {earlier[0] + 1})")
        else:
            decided[i] = ("boilerplate", "heading-like line with no kept paragraph under it")

    decisions: list[LineDecision] = []
    paragraphs: list[CleanParagraph] = []
    for i, t in enumerate(lines):
        if not t:
            kind, reason = "blank", "blank"
        else:
            kind, reason = decided.get(i, ("boilerplate", f"{why(i)}; after the article body"))
        decisions.append(LineDecision(i + 1, t, kind in ("title", "heading", "paragraph"), kind, reason))
        if kind == "paragraph":
            sec = None if section_of[i] is None else lines[section_of[i]]
            paragraphs.append(CleanParagraph(len(paragraphs), sec, t, content_hash(t), i + 1))
    return CleanedArticle(
        title=title,
        paragraphs=paragraphs,
        decisions=decisions,
        headings=[lines[i] for i in sorted(headings) if decided[i][0] == "heading"],
        language=language,
    )


def explain(decisions: Iterable[LineDecision]) -> str:
    """A printable table, one row per line: number, KEEP/DROP, kind, reason, and the whole line (an
    admin judging a new site's boilerplate needs to read it, not a prefix)."""
    return "\n".join(
        f"{d.line_no:>5}  {'KEEP' if d.keep else 'DROP'}  {d.kind:<11}  {d.reason:<48}  {d.text}" for d in decisions
    )
