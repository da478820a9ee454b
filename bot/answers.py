"""How the CLI prints an answer: text in the question's language, with what the coverage holds when
it does not answer, and the JSON object of ``ask --json``.

What the coverage holds is taken from the service: the articles the filters leave (an abstention is
their verdict, not the whole coverage's), or the whole coverage when the filters leave no article
(its outlets and dates are listed, so the next try can hit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from embeddings.filters import NO_FILTERS, Filters
from embeddings.records import Answer

from .formatting import detect_lang, filter_miss_lines, format_answer_text

if TYPE_CHECKING:
    from embeddings.service import CoverageService


def human_answer(service: CoverageService, answer: Answer, filters: Filters = NO_FILTERS, *,
                 in_chat: bool = False) -> str:
    """The answer as text in the question's language (see :func:`bot.formatting.format_answer_text`)."""
    if answer.answered:
        sources = []
    elif answer.filtered_out:
        sources = service.sources()
    else:
        sources = service.sources(**filters.kwargs())
    return format_answer_text(answer, detect_lang(answer.question, None), sources=sources, filters=filters,
                              in_chat=in_chat)


def answer_json(answer: Answer) -> dict:
    """``answer.to_dict()``, plus ``"filtered_out": true`` when the filters left no article to search
    (so it is told from "not answered" on stdout). The key is absent otherwise: the documented keys and
    every other answer's object stay as they were."""
    obj = answer.to_dict()
    if answer.filtered_out:
        obj["filtered_out"] = True
    return obj


def filtered_out_note(service: CoverageService, filters: Filters) -> str:
    """The stderr note of ``--json`` when the filters leave no article: the filters given, and the
    outlets and dates of the coverage (English, like every note)."""
    return "Note: " + " ".join(filter_miss_lines(filters, service.sources(), "en"))
