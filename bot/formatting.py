"""Answer formatting shared by the front ends (CLI plain text, Telegram HTML).

Every citation says its outlet and date plainly: an unknown outlet or date is written out as
unknown, never left blank or guessed, and a date that is the date of the reported *event* (not the
publication date) is marked as such. In HTML every dynamic string goes through :func:`html.escape`,
so a question or a seed paragraph containing ``<b>&</b>`` renders as text; Telegram's
4096-character limit is kept by :mod:`bot.html_split`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Literal

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal

from bot.html_split import split_html_messages
from embeddings.filters import NO_FILTERS, Filters
from embeddings.records import Answer, Article, Result
from embeddings.text import MAX_QUESTION_CHARS, question_language

Lang = Literal["id", "en"]

#: How much of the question is echoed back in a reply header (the rest is elided).
QUESTION_ECHO_CHARS = 300

_WORDS: dict[str, dict[str, str]] = {
    "id": {
        "date_unknown": "tanggal tidak diketahui",
        "event_date": "tanggal peristiwa",
        "outlet_unknown": "media tidak diketahui",
        "unnamed_outlet": "media yang tidak disebutkan",
        "unnamed_outlets": "media yang tidak disebutkan",
        "undated": "{n} tanpa tanggal",
        "title_unknown": "judul tidak diketahui",
        "section": "Bagian",
        "question": "Pertanyaan",
        "truncated": "Pertanyaan Anda lebih dari {n} karakter; hanya {n} karakter pertama yang dicari.",
        "abstain": "Liputan yang diindeks tidak menjawab pertanyaan ini.",
        "abstain_filtered": "Liputan yang tersisa setelah filter ini ({filters}) tidak menjawab pertanyaan ini.",
        "without_filters": "Tanyakan lagi tanpa filter untuk mencari di seluruh liputan.",
        "filtered_out": "Tidak ada artikel dalam liputan yang cocok dengan filter ini ({filters}).",
        "outlet_filter": 'media "{value}"',
        "since_filter": "sejak {value}",
        "until_filter": "sampai {value}",
        "outlets_available": "Media dalam liputan: {outlets}.",
        "dates_available": "Tanggal dalam liputan: {span}.",
        "unknown_value": "tidak diketahui",
        "covers": "Liputan ini mencakup {count} {articles} dari {outlets} ({span}), antara lain:",
        "more": "Masih ada {n} kutipan lain.",
        "more_k": "Masih ada {n} kutipan lain: tanyakan lagi dengan -k {k} untuk melihatnya.",
        "more_chat": 'Masih ada {n} kutipan lain: ketik "lagi" untuk melihatnya.',
    },
    "en": {
        "date_unknown": "date unknown",
        "event_date": "event date",
        "outlet_unknown": "outlet unknown",
        "unnamed_outlets": "unnamed outlets",
        "unnamed_outlet": "an unnamed outlet",
        "undated": "{n} undated",
        "title_unknown": "title unknown",
        "section": "Section",
        "question": "Question",
        "truncated": "Your question was longer than {n} characters; only the first {n} were searched.",
        "abstain": "The indexed coverage does not answer this question.",
        "abstain_filtered": "The coverage these filters leave ({filters}) does not answer this question.",
        "without_filters": "Ask again without the filters to search all the coverage.",
        "filtered_out": "No article in the coverage matches these filters ({filters}).",
        "outlet_filter": 'outlet "{value}"',
        "since_filter": "since {value}",
        "until_filter": "until {value}",
        "outlets_available": "Outlets in the coverage: {outlets}.",
        "dates_available": "Dates in the coverage: {span}.",
        "unknown_value": "unknown",
        "covers": "It covers {count} {articles} from {outlets} ({span}), including:",
        "more": "{n} more {extracts} available.",
        "more_k": "{n} more {extracts} available: ask again with -k {k} to see them.",
        "more_chat": '{n} more {extracts} available: type "more" to see them.',
    },
}


def resolve_lang(lang: str | None) -> Lang:
    """``"en"`` for any English code (``en``, ``en-GB``), else ``"id"``: the one rule both text tables
    (these words and :mod:`bot.telegram.messages`) use."""
    return "en" if (lang or "").lower().startswith("en") else "id"


def _w(lang: str, key: str) -> str:
    return _WORDS[resolve_lang(lang)][key]


def detect_lang(text: str, telegram_language_code: str | None) -> Lang:
    """Pick the reply language: English for a user whose Telegram is set to English (``en*``) or
    who asks in English, else Indonesian (the issue's rule).

    A stopword count is enough here: the replies are fixed texts around verbatim Indonesian
    extracts, so a wrong guess only changes the labels, never the evidence.
    """
    english = question_language(text or "") == "en" or resolve_lang(telegram_language_code) == "en"
    return "en" if english else "id"


def format_date(iso: str | None, basis: str | None, lang: str) -> str:
    """``"2026-02-04"`` → ``"4 Februari 2026"`` (id) / ``"February 4, 2026"`` (en).

    An event date is marked (``"(tanggal peristiwa)"`` / ``"(event date)"``); ``None`` or an
    unparseable value is said plainly (``"tanggal tidak diketahui"`` / ``"date unknown"``).
    """
    if not iso:
        return _w(lang, "date_unknown")
    try:
        parsed = date.fromisoformat(iso[:10])
    except ValueError:
        return _w(lang, "date_unknown")
    text = _babel_format_date(parsed, "long", locale=resolve_lang(lang))
    if (basis or "").lower() == "event":
        text = f"{text} ({_w(lang, 'event_date')})"
    return text


def format_outlet(outlet: str | None, lang: str) -> str:
    """The outlet name, or ``"media tidak diketahui"`` / ``"outlet unknown"``."""
    return outlet.strip() if outlet and outlet.strip() else _w(lang, "outlet_unknown")


def format_title(title: str | None, lang: str) -> str:
    """The article title, or ``"judul tidak diketahui"`` / ``"title unknown"``."""
    return title.strip() if title and title.strip() else _w(lang, "title_unknown")


def citation(result: Result | Article, lang: str) -> str:
    """``"QNews · 4 Februari 2026 · Putin: …"`` (plain text, not escaped)."""
    return " · ".join(
        (
            format_outlet(result.outlet, lang),
            format_date(result.date, result.date_basis, lang),
            format_title(result.title, lang),
        )
    )


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with "…" where it was cut (for echoing a
    question or an error, never for an extract: extracts are cut only at sentence boundaries)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def date_span(sources: Sequence[Article], lang: str, *, iso: bool = False) -> str:
    """The dates ``sources`` span (``"14 Juni 2025 – 4 Februari 2026, 1 tanpa tanggal"``), ISO dates
    with ``iso`` (what ``--since``/``--until`` take); the undated ones are counted, not left out."""
    dates = sorted(a.date[:10] for a in sources if a.date)
    if not dates:
        return _w(lang, "date_unknown")
    first, last = (dates[0], dates[-1]) if iso else (format_date(d, None, lang) for d in (dates[0], dates[-1]))
    span = first if first == last else f"{first} – {last}"
    if len(dates) < len(sources):
        span += ", " + _w(lang, "undated").format(n=len(sources) - len(dates))
    return span


def coverage_facts(sources: Sequence[Article], lang: str) -> dict[str, str | int | list[str]]:
    """What the index covers, taken from ``service.sources()`` (plain strings, not escaped):
    ``count``, ``articles`` (the word, singular or plural), ``outlets`` (joined names), ``span``
    (date range) and a few ``titles``."""
    outlets = sorted({a.outlet.strip() for a in sources if a.outlet and a.outlet.strip()}, key=str.lower)
    unnamed = sum(1 for a in sources if not (a.outlet and a.outlet.strip()))
    if unnamed:  # said, not left out: "… and an unnamed outlet"
        outlets.append(_w(lang, "unnamed_outlet" if unnamed == 1 else "unnamed_outlets"))
    joiner = " dan " if resolve_lang(lang) == "id" else " and "
    names = ", ".join(outlets[:-1]) + joiner + outlets[-1] if len(outlets) > 1 else "".join(outlets)
    titles = [a.title.strip() for a in sources if a.title and a.title.strip()]
    return {
        "count": len(sources),
        "articles": "artikel" if resolve_lang(lang) == "id" else "article" if len(sources) == 1 else "articles",
        "outlets": names or _w(lang, "outlet_unknown"),
        "span": date_span(sources, lang),
        "titles": titles[:5],
    }


def _truncation_note(lang: str) -> str:
    return _w(lang, "truncated").format(n=format_decimal(MAX_QUESTION_CHARS, locale=resolve_lang(lang)))


# --------------------------------------------------------------------------------------- plain text


def describe_filters(filters: Filters, lang: str) -> str:
    """The filters as the user gave them (``outlet "ntv", since 2025-01-01``), dates in ISO as typed."""
    parts = []
    if (filters.outlet or "").strip():
        parts.append(_w(lang, "outlet_filter").format(value=" ".join((filters.outlet or "").split())))
    parts += [_w(lang, key).format(value=day.isoformat())
              for key, day in (("since_filter", filters.since), ("until_filter", filters.until)) if day]
    return ", ".join(parts)


def filter_miss_lines(filters: Filters, coverage: Sequence[Article], lang: str) -> list[str]:
    """No article matches ``filters``: they are repeated, with the outlets of the whole ``coverage``
    (named as ``--outlet`` takes them, "unknown" included) and the dates it spans, so the next try can hit."""
    lines = [_w(lang, "filtered_out").format(filters=describe_filters(filters, lang))]
    if coverage:
        names = sorted({a.outlet.strip() for a in coverage if a.outlet and a.outlet.strip()}, key=str.lower)
        if any(not (a.outlet and a.outlet.strip()) for a in coverage):
            names.append(_w(lang, "unknown_value"))
        lines.append(_w(lang, "outlets_available").format(outlets=", ".join(names)))
        lines.append(_w(lang, "dates_available").format(span=date_span(coverage, lang, iso=True)))
    return lines


def more_text(n: int, lang: str, key: str = "more", **extra: object) -> str:
    """``"1 more extract available."`` / ``"3 more extracts available."`` (``key``: which hint)."""
    return _w(lang, key).format(n=n, extracts="extract" if n == 1 else "extracts", **extra)


def format_answer_text(answer: Answer, lang: str = "id", *, sources: Sequence[Article] = (),
                       filters: Filters = NO_FILTERS, in_chat: bool = False) -> str:
    """Plain text for the CLI: numbered verbatim extracts «…», each followed by
    ``— outlet · date · title`` and its section if any; or the honest abstain text (with a hint
    of what the coverage holds when ``sources`` is given), or that the filters matched no article.

    With ``filters``, an abstention is the verdict of the coverage they leave, not of the whole
    coverage, and says so; when they leave no article, ``sources`` is the whole coverage (its outlets
    and dates are listed). ``in_chat``: the "more" hint says to type "more", not to ask with ``-k``.
    """
    lines: list[str] = []
    if answer.truncated:
        lines += [_truncation_note(lang), ""]
    if answer.filtered_out:
        return "\n".join(lines + filter_miss_lines(filters, sources, lang))
    if not answer.answered or not answer.results:
        if filters:
            lines.append(_w(lang, "abstain_filtered").format(filters=describe_filters(filters, lang)))
        else:
            lines.append(_w(lang, "abstain"))
        if sources:
            facts = coverage_facts(sources, lang)
            lines.append(_w(lang, "covers").format(**facts))
            lines += [f"  - {t}" for t in facts["titles"]]  # type: ignore[union-attr]
        if filters:
            lines.append(_w(lang, "without_filters"))
        return "\n".join(lines)
    for result in answer.results:
        lines.append(f"{result.rank}. «{result.extract}»")
        lines.append(f"   — {citation(result, lang)}")
        if result.section:
            lines.append(f"   {_w(lang, 'section')}: {result.section}")
        lines.append("")
    if answer.more and in_chat:
        lines.append(more_text(answer.more, lang, "more_chat"))
    elif answer.more:
        lines.append(more_text(answer.more, lang, "more_k", k=len(answer.results) + answer.more))
    return "\n".join(lines).rstrip()


# --------------------------------------------------------------------------------------------- HTML


def e(value: object) -> str:
    """Escape one dynamic value for Telegram HTML (``<``, ``>``, ``&`` and quotes)."""
    return html.escape(str(value), quote=True)


def _html_header(answer: Answer, lang: str) -> list[str]:
    """The question echoed (escaped, elided), and the truncation note when it was cut."""
    blocks = [f"{e(_w(lang, 'question'))}: <i>{e(shorten(answer.question, QUESTION_ECHO_CHARS))}</i>"]
    if answer.truncated:
        blocks.append(f"<i>{e(_truncation_note(lang))}</i>")
    return blocks


def html_result_block(result: Result, number: int, lang: str) -> str:
    """One extract block: ``<b>1.</b> «extract»`` / ``— <b>outlet</b> · date · title`` / section."""
    lines = [
        f"<b>{number}.</b> «{e(result.extract)}»",
        f"— <b>{e(format_outlet(result.outlet, lang))}</b> · "
        f"{e(format_date(result.date, result.date_basis, lang))} · {e(format_title(result.title, lang))}",
    ]
    if result.section:
        lines.append(f"<i>{e(_w(lang, 'section'))}: {e(result.section)}</i>")
    return "\n".join(lines)


def html_abstain_blocks(answer: Answer, lang: str, sources: Sequence[Article] = ()) -> list[str]:
    """The honest no-answer reply: the question echoed (escaped), that the coverage does not answer
    it, and what it does cover (outlets, dates, a few titles). Never a nearest unrelated paragraph."""
    blocks = _html_header(answer, lang) + [f"<b>{e(_w(lang, 'abstain'))}</b>"]
    if sources:
        facts = coverage_facts(sources, lang)
        hint = e(_w(lang, "covers").format(**facts))
        titles = "\n".join(f"• {e(t)}" for t in facts["titles"])  # type: ignore[union-attr]
        blocks.append(f"{hint}\n{titles}" if titles else hint)
    return blocks


def format_answer_html(
    answer: Answer, lang: str, start_rank: int = 1, *, sources: Sequence[Article] = ()
) -> list[str]:
    """Telegram HTML messages (each ≤ 4096 characters) for an answer.

    ``start_rank`` numbers the extracts (``offset + 1`` when paging with "More", so ranks continue).
    The question is echoed in a header on the first page only; ``sources`` feeds the abstain hint.
    """
    if not answer.answered or not answer.results:
        return split_html_messages(html_abstain_blocks(answer, lang, sources))
    blocks = _html_header(answer, lang) if start_rank == 1 else []
    blocks += [html_result_block(r, start_rank + i, lang) for i, r in enumerate(answer.results)]
    if answer.more:
        blocks.append(f"<i>{e(more_text(answer.more, lang))}</i>")
    return split_html_messages(blocks)
