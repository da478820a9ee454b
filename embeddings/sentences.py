"""Sentence spans inside a paragraph, and the verbatim extract built from them.

An extract is always an exact substring of the paragraph, cut only at sentence boundaries, with
"…" marking where text was cut. Nothing is re-typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .text import content_words, stem

ELLIPSIS = "…"
#: Where an over-long question was cut between its start and the question it ends with
#: (:func:`question.normalize_question`): the editor's mark for omitted text, which a question does
#: not type itself (a plain "…" it may). A sentence ends there, whatever follows.
CUT_GAP = f" [{ELLIPSIS}] "
#: The gap as retrieval reads it: NFKC (``question.without_tags``) writes "…" as "...".
_READ_GAP = re.compile(r" \[(?:…|\.\.\.)\] ")

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


#: A question longer than this (in words) is read for its question sentences only (see below).
FOCUS_WORDS = 40
#: ... when they hold at least this many content words; else the whole question is read.
FOCUS_MIN_CONTENT_WORDS = 2


def _quoted(sentence: str) -> bool:
    """Inside quoted speech: an opening quote left unclosed, or one the sentence ends with."""
    straight, opened, closed = sentence.count('"'), sentence.count("“"), sentence.count("”")
    return straight % 2 == 1 or opened != closed or sentence.rstrip().endswith(('"', "”"))


def question_focus(question: str) -> str:
    """What retrieval reads of a long question: the "?" sentences it ends with, when they say
    enough on their own; otherwise the whole question.

    A journalist often pastes context before asking ("I read that … . What did Putin say about
    Taiwan?"); every word of the context would weigh as much as the question's and pull the answer
    toward the context, or into "the coverage does not answer". But "What did they say?" needs the
    context's names, a "?" in quoted speech is not the user's question, and a text that ends in a
    request ("Tolong jelaskan …") is read whole, as are short questions. The gap of a cut
    (:data:`CUT_GAP`) ends a sentence even where the start was cut mid-word.
    """
    if len(question.split()) <= FOCUS_WORDS:
        return question
    asked: list[str] = []
    last = _READ_GAP.split(question)[-1]  # not glued to the end of a cut start ("… dan t […] Siapa …?")
    for start, end in reversed(sentence_spans(last)):
        sentence = last[start:end]
        if not sentence.rstrip("!").endswith("?") or _quoted(sentence):
            break
        asked.insert(0, sentence)
    focus = " ".join(asked)
    return focus if len(content_words(focus)) >= FOCUS_MIN_CONTENT_WORDS else question
