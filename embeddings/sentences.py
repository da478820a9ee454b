"""Sentence spans inside a paragraph, and the verbatim extract built from them.

An extract is always an exact substring of the paragraph, cut only at sentence boundaries, with
"…" marking where text was cut. Nothing is re-typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .text import content_words, stem

ELLIPSIS = "…"

# A sentence ends at . ! ? (or an ellipsis), possibly followed by closing quotes/brackets, then
# whitespace, then something that starts a sentence: an upper-case letter, a digit or an opening quote.
_BOUNDARY = re.compile(r"""(?<=[.!?…])[”"’')\]]*\s+(?=[“"‘'(\[]?[A-Z0-9À-ÖØ-Þ])""")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")  # "j", "u.s", "a.s": letters with dots
_ABBREVIATIONS = frozenset("dr prof no jl st jr sr mr mrs ms vs dll dsb tsb sdr bpk ir drs hj kh mt".split())


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence, covering the paragraph's text without outer spaces."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.start() + len(match.group(0).rstrip())
        before = paragraph[start:match.start()].rstrip(".!?…")
        last_word = before.split()[-1].lower() if before.split() else ""
        if last_word in _ABBREVIATIONS or _INITIALS.fullmatch(last_word):  # "Dr.", "J.", "U.S."
            continue
        spans.append((start, end))
        start = match.end()
    if paragraph[start:].strip():
        spans.append((start, len(paragraph.rstrip())))
    return spans


def choose_sentences(scores: Sequence[float], margin: float = 0.03) -> tuple[int, int]:
    """The best sentence, joined by its better neighbour when that one scores within ``margin``.

    A paragraph of one or two sentences is quoted whole, whatever the scores: an extract is one or
    two sentences anyway, and a reader quoting it gets the paragraph's full statement rather than
    half of it with an "…". Returns an inclusive-exclusive range of sentence indexes.
    """
    if len(scores) <= 2:
        return 0, len(scores)
    best = max(range(len(scores)), key=lambda i: scores[i])
    neighbours = [j for j in (best - 1, best + 1) if 0 <= j < len(scores)]
    partner = max(neighbours, key=lambda j: scores[j])
    if scores[partner] >= scores[best] - margin:
        return min(best, partner), max(best, partner) + 1
    return best, best + 1


def extract_text(paragraph: str, spans: Sequence[tuple[int, int]], first: int, last: int) -> str:
    """Sentences ``first``..``last-1`` verbatim, with "…" where the paragraph was cut."""
    if not spans:
        return paragraph
    start, end = spans[first][0], spans[last - 1][1]
    text = paragraph[start:end]
    if start > 0:
        text = ELLIPSIS + text
    if end < len(paragraph.rstrip()):
        text = text + ELLIPSIS
    return text


def strip_ellipses(extract: str) -> str:
    """The verbatim core of an extract (what must be a substring of its paragraph)."""
    core = extract
    if core.startswith(ELLIPSIS):
        core = core[len(ELLIPSIS):]
    if core.endswith(ELLIPSIS):
        core = core[: -len(ELLIPSIS)]
    return core


def best_extract(paragraph: str, sentences: Sequence[Mapping[str, int]], question_stems: set[str],
                 sentence_scores: Mapping[int, float]) -> str:
    """The one or two sentences of ``paragraph`` that best match the question, verbatim.

    ``sentences`` are the paragraph's sentence rows (``id``, ``start``, ``end``); a sentence scores
    its cosine with the question (``sentence_scores`` by id) plus a little for the question's stems
    it shares.
    """
    spans = [(s["start"], s["end"]) for s in sentences]
    scores = []
    for s in sentences:
        sentence_stems = {stem(w) for w in content_words(paragraph[s["start"]:s["end"]])}
        overlap = len(sentence_stems & question_stems) / (len(question_stems) or 1)
        scores.append(sentence_scores.get(s["id"], 0.0) + 0.1 * overlap)
    first, last = choose_sentences(scores) if scores else (0, 0)
    return extract_text(paragraph, spans, first, last)
