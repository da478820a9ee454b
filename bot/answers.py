"""How the CLI prints an answer: text in the question's language, with what the coverage holds when
it does not answer, and the JSON object of ``ask --json``.

What the coverage holds is taken from the service: the articles the filters leave (an abstention is
their verdict, not the whole coverage's), or the whole coverage when the filters leave no article
(its outlets and dates are listed, so the next try can hit).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from embeddings.filters import NO_FILTERS, Filters
from embeddings.records import Answer, Article

from .formatting import (
    abstain_text,
    abstention_sources,
    citation,
    coverage_facts,
    covers_text,
    date_span,
    more_text,
    outlet_names,
    searched_named_note,
    truncation_note,
    word,
)
from .language import detect_lang, format_count, resolve_lang

if TYPE_CHECKING:
    from embeddings.service import CoverageService

#: The most results ``ask -k`` shows; a larger corpus may have more relevant ones (``chat`` pages
#: through them all).
MAX_K = 50

#: The question names an outlet that ``--outlet`` leaves out ("Apa kata Gate …?" in ``chat --outlet
#: QNews``): said before the answer, which is the filter's coverage, not the named outlet's. (The
#: CLI's own words, about its options: the bot has no filters.)
_NAMED_FILTERED_OUT = {
    "id": {"ask": 'Pertanyaan ini menyebut {named}, tetapi --outlet "{value}" tidak mencakup {named}: yang berikut '
                  "berasal dari liputan yang tersisa setelah filter itu, bukan dari {named}. Tanyakan lagi tanpa "
                  "--outlet untuk mencari di {named}.",
           "chat": "Pertanyaan ini menyebut {named}, tetapi sesi ini dibatasi pada {filter}, yang tidak mencakup "
                   "{named}: yang berikut berasal dari liputan itu, bukan dari {named}. Mulai chat lagi tanpa "
                   "--outlet untuk mencari di {named}."},
    "en": {"ask": 'The question names {named}, but --outlet "{value}" leaves {named} out: what follows is from '
                  "the coverage the filter leaves, not from {named}. Ask again without --outlet to search {named}.",
           "chat": "The question names {named}, but this session is limited to {filter}, which leaves {named} out: "
                   "what follows is from that coverage, not from {named}. Start chat again without --outlet to "
                   "search {named}."},
}


def human_answer(service: CoverageService, answer: Answer, filters: Filters = NO_FILTERS, *,
                 in_chat: bool = False, asked: int = 0) -> str:
    """The answer as text in the question's language (see :func:`format_answer_text`)."""
    if answer.answered:
        sources = []
    elif answer.filtered_out:
        sources = service.sources()
    else:
        sources = service.sources(**filters.kwargs())
    return format_answer_text(answer, detect_lang(answer.question, None), sources=sources, filters=filters,
                              in_chat=in_chat, asked=asked)


def answer_json(answer: Answer) -> dict:
    """``answer.to_dict()``, plus ``"filtered_out": true`` when the filters left no article to search
    (so it is told from "not answered" on stdout), and ``"outlets_named"`` when the question named
    outlets and only theirs was searched, ``"outlets_named_filtered_out"`` when it named outlets that
    ``--outlet`` left out (the answer is not theirs), ``"truncated": true`` when the question was cut
    at ``MAX_QUESTION_CHARS`` (``question`` then no longer equals what was asked). Each key is absent
    otherwise: the documented keys and every other answer's object stay as they were."""
    obj = answer.to_dict()
    if answer.truncated:
        obj["truncated"] = True
    if answer.filtered_out:
        obj["filtered_out"] = True
    if answer.outlets_named:
        obj["outlets_named"] = list(answer.outlets_named)
    if answer.outlets_named_filtered_out:
        obj["outlets_named_filtered_out"] = list(answer.outlets_named_filtered_out)
    return obj


def named_filtered_out_note(answer: Answer, filters: Filters, lang: str, *, in_chat: bool = False) -> str:
    """That the question names outlets the outlet filter leaves out, so the answer is not theirs, and
    how to search them (``""`` when it names none such): a journalist asking "what did Gate say" must
    not take another outlet's extracts, or its silence, for Gate's."""
    if not answer.outlets_named_filtered_out:
        return ""
    named = ", ".join(answer.outlets_named_filtered_out)
    text = _NAMED_FILTERED_OUT[resolve_lang(lang)]["chat" if in_chat else "ask"]
    outlet = " ".join((filters.outlet or "").split())
    return text.format(named=named, value=outlet, filter=describe_filters(Filters(outlet=outlet), lang))


def emit_json(obj: object) -> None:
    """One JSON object on one line of standard output (non-ASCII text as it is, but for U+2028 and
    U+2029, escaped: line readers such as Python's ``str.splitlines`` end a line at them)."""
    text = json.dumps(obj, ensure_ascii=False)
    click.echo(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def filtered_out_note(service: CoverageService, filters: Filters) -> str:
    """The stderr note of ``--json`` when the filters leave no article: the filters given, and the
    outlets and dates of the coverage (English, like every note)."""
    return "Note: " + " ".join(filter_miss_lines(filters, service.sources(), "en"))


def describe_filters(filters: Filters, lang: str) -> str:
    """The filters as the user gave them (``outlet "ntv", since 2025-01-01``), dates in ISO as typed."""
    parts = []
    if (filters.outlet or "").strip():
        parts.append(word(lang, "outlet_filter").format(value=" ".join((filters.outlet or "").split())))
    parts += [word(lang, key).format(value=day.isoformat())
              for key, day in (("since_filter", filters.since), ("until_filter", filters.until)) if day]
    return ", ".join(parts)


def filter_miss_lines(filters: Filters, coverage: Sequence[Article], lang: str) -> list[str]:
    """No article matches ``filters``: they are repeated, with the outlets of the whole ``coverage``
    (named as ``--outlet`` takes them, the unknown outlet as citations say it) and the dates it spans, so
    the next try can hit."""
    lines = [word(lang, "filtered_out").format(filters=describe_filters(filters, lang))]
    if coverage:
        names = outlet_names(coverage, lang)  # the unknown one as citations say it, which --outlet takes
        lines.append(word(lang, "outlets_available").format(outlets=", ".join(names)))
        lines.append(word(lang, "dates_available").format(span=date_span(coverage, lang, iso=True)))
    return lines


def format_answer_text(answer: Answer, lang: str = "id", *, sources: Sequence[Article] = (),
                       filters: Filters = NO_FILTERS, in_chat: bool = False, asked: int = 0) -> str:
    """Plain text for the CLI: numbered verbatim extracts «…», each followed by
    ``— outlet · date · title`` and its section if any; or the honest abstain text (with a hint
    of what the coverage holds when ``sources`` is given), or that the filters matched no article.

    With ``filters``, an abstention is the verdict of the coverage they leave, not of the whole
    coverage, and says so; when they leave no article, ``sources`` is the whole coverage (its outlets
    and dates are listed). ``in_chat``: the "more" hint says to type "more", not to ask with ``-k``.
    ``asked``: how many results the user asked for (``-k``); fewer shown, and none left, says that
    these are all the coverage has, so a short list is not taken for a cut one. A question naming an
    outlet the outlet filter leaves out is told so first (:func:`named_filtered_out_note`).
    """
    lines: list[str] = []
    if answer.truncated:
        lines += [truncation_note(lang), ""]
    if note := named_filtered_out_note(answer, filters, lang, in_chat=in_chat):
        lines += [note, ""]
    if answer.filtered_out:
        return "\n".join(lines + filter_miss_lines(filters, sources, lang))
    if not answer.answered or not answer.results:
        if filters and not answer.outlets_named:
            lines.append(word(lang, "abstain_filtered").format(filters=describe_filters(filters, lang)))
        else:  # a named outlet is said even under a date filter: dropping the filter alone would not help
            lines.append(abstain_text(answer, lang))
        if sources := abstention_sources(answer, sources):
            facts = coverage_facts(sources, lang)
            lines.append(covers_text(facts, lang))
            lines += [f"  - {t}" for t in facts["titles"]]  # type: ignore[union-attr]
        if answer.outlets_named:
            lines.append(word(lang, "without_naming"))
        if filters:
            lines.append(word(lang, "without_filters_chat" if in_chat else "without_filters"))
        return "\n".join(lines)
    if note := searched_named_note(answer, lang):
        lines += [note, ""]
    for result in answer.results:
        lines.append(f"{result.rank}. «{result.extract}»")
        lines.append(f"   — {citation(result, lang)}")
        if result.section:
            lines.append(f"   {word(lang, 'section')}: {result.section}")
        if not result.relevant:
            lines.append(f"   ({word(lang, 'filler')})")
        lines.append("")
    if answer.more and in_chat:
        lines.append(more_text(answer.more, lang, "more_chat"))
    elif answer.more and len(answer.results) + answer.more > MAX_K:  # -k cannot show them all
        lines.append(more_text(answer.more, lang, "more_k_capped", k=MAX_K, shown=MAX_K - len(answer.results)))
    elif answer.more:
        lines.append(more_text(answer.more, lang, "more_k", k=len(answer.results) + answer.more))
    elif len(answer.results) < asked:  # all there is; fillers (shown for comparison) are not counted relevant
        relevant, shown = sum(r.relevant for r in answer.results), len(answer.results)
        if relevant == shown:
            lines.append(more_text(shown, lang, "all_shown", k=asked))
        else:
            others = shown - relevant
            lines.append(more_text(relevant, lang, "some_relevant", k=asked, shown=format_count(shown, lang),
                                   others="other" if others == 1 else "others",
                                   are_others="is" if others == 1 else "are"))
    return "\n".join(lines).rstrip()
