"""Answer formatting: the words, dates and citations both front ends use, and Telegram's HTML
(the CLI's plain text is :mod:`bot.answers`).

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

from babel.dates import format_date as _babel_format_date

from bot.html_split import split_html_messages
from bot.language import format_count, resolve_lang
from embeddings.question import MAX_QUESTION_CHARS
from embeddings.records import Answer, Article, Result

#: How much of the question is echoed back in a reply header (the rest is elided).
QUESTION_ECHO_CHARS = 300

_WORDS: dict[str, dict[str, str]] = {
    "id": {
        "date_unknown": "tanggal tidak diketahui",
        "event_date": "tanggal peristiwa",
        "published_date": "tanggal terbit",
        "outlet_unknown": "media tidak diketahui",
        "undated": "{n} tanpa tanggal",
        "title_unknown": "judul tidak diketahui",
        "section": "Bagian",
        "filler": "Kurang relevan: ditampilkan sebagai pembanding, mungkin tidak menjawab pertanyaan.",
        "question": "Pertanyaan",
        "truncated": "Pertanyaan Anda lebih dari {n} karakter; hanya {n} karakter yang dicari: awalnya, "
                     "dan pertanyaan di akhirnya bila ada.",
        "abstain": "Liputan yang diindeks tidak menjawab pertanyaan ini.",
        "abstain_filtered": "Liputan yang tersisa setelah filter ini ({filters}) tidak menjawab pertanyaan ini.",
        "abstain_named": "Liputan dari media yang disebut dalam pertanyaan ({outlets}) tidak menjawab pertanyaan ini.",
        "without_naming": "Tanyakan lagi tanpa menyebut media itu untuk mencari di seluruh liputan.",
        "searched_named": "Hanya liputan {outlets} yang dicari, karena disebut dalam pertanyaan.",
        "without_filters": "Tanyakan lagi tanpa filter untuk mencari di seluruh liputan.",
        "without_filters_chat": "Filter berlaku untuk seluruh sesi ini: mulai chat lagi tanpa filter untuk mencari di "
        "seluruh liputan.",
        "filtered_out": "Tidak ada artikel dalam liputan yang cocok dengan filter ini ({filters}).",
        "outlet_filter": 'media "{value}"',
        "since_filter": "sejak {value}",
        "until_filter": "sampai {value}",
        "outlets_available": "Media dalam liputan: {outlets}.",
        "dates_available": "Tanggal dalam liputan: {span}.",
        "covers": "Liputan ini mencakup {count} {articles} dari {outlets} ({span}), antara lain:",
        "covers_one": "Liputan ini mencakup 1 artikel dari {outlets} ({span}):",
        "more": "Masih ada {n} kutipan lain.",
        "more_k": "Masih ada {n} kutipan lain: tanyakan lagi dengan -k {k} untuk melihatnya.",
        "more_k_capped": ("Masih ada {n} kutipan lain: tanyakan lagi dengan -k {k} untuk melihat {shown} di "
                          "antaranya, atau telusuri semuanya dengan coverage-bot chat."),
        "more_chat": 'Masih ada {n} kutipan lain: ketik "lagi" untuk melihatnya.',
        "all_shown": "Hanya {n} kutipan ini yang cukup relevan untuk pertanyaan ini (diminta {k}).",
        "some_relevant": ("Hanya {n} dari {shown} kutipan ini yang cukup relevan untuk pertanyaan ini (diminta "
                          "{k}); sisanya ditampilkan sebagai pembanding."),
        "no_more": "Tidak ada kutipan lain untuk pertanyaan ini.",
    },
    "en": {
        "date_unknown": "date unknown",
        "event_date": "event date",
        "published_date": "published",
        "outlet_unknown": "outlet unknown",
        "undated": "{n} undated",
        "title_unknown": "title unknown",
        "section": "Section",
        "filler": "Less relevant: shown for comparison, it may not answer the question.",
        "question": "Question",
        "truncated": "Your question was longer than {n} characters; only {n} were searched: its beginning, "
                     "and the question it ends with, if any.",
        "abstain": "The indexed coverage does not answer this question.",
        "abstain_filtered": "The coverage these filters leave ({filters}) does not answer this question.",
        "abstain_named": "The coverage of the outlet the question names ({outlets}) does not answer this question.",
        "without_naming": "Ask again without naming the outlet to search the whole coverage.",
        "searched_named": "Only the coverage of {outlets} was searched, as the question names it.",
        "without_filters": "Ask again without the filters to search all the coverage.",
        "without_filters_chat": "The filters hold for this whole session: start chat again without them to search "
        "all the coverage.",
        "filtered_out": "No article in the coverage matches these filters ({filters}).",
        "outlet_filter": 'outlet "{value}"',
        "since_filter": "since {value}",
        "until_filter": "until {value}",
        "outlets_available": "Outlets in the coverage: {outlets}.",
        "dates_available": "Dates in the coverage: {span}.",
        "covers": "It covers {count} {articles} from {outlets} ({span}), including:",
        "covers_one": "It covers 1 article from {outlets} ({span}):",
        "more": "{n} more {extracts} available.",
        "more_k": "{n} more {extracts} available: ask again with -k {k} to see {them}.",
        "more_k_capped": ("{n} more {extracts} available: ask again with -k {k} to see {shown} of them, or "
                          "page through them all with coverage-bot chat."),
        "more_chat": '{n} more {extracts} available: type "more" to see {them}.',
        "all_shown": "Only {n} {extracts} {are} relevant enough to show for this question ({k} asked for).",
        "some_relevant": ("Only {n} of these {shown} extracts {are} relevant enough for this question ({k} asked "
                          "for); the {others} {are_others} shown for comparison."),
        "no_more": "There are no more extracts for this question.",
    },
}


def word(lang: str, key: str) -> str:
    """The fixed text ``key`` of the answers, in ``lang`` (``id`` or ``en``)."""
    return _WORDS[resolve_lang(lang)][key]


def format_date(iso: str | None, basis: str | None, lang: str) -> str:
    """``"2026-02-04"`` → ``"4 Februari 2026"`` (id) / ``"February 4, 2026"`` (en).

    The basis is said: an event date (``"(tanggal peristiwa)"`` / ``"(event date)"``) or a publication
    date (``"(tanggal terbit)"`` / ``"(published)"``), so a reader never has to guess which; ``None``
    or an unparseable value is said plainly (``"tanggal tidak diketahui"`` / ``"date unknown"``).
    """
    if not iso:
        return word(lang, "date_unknown")
    try:
        parsed = date.fromisoformat(iso[:10])
    except ValueError:
        return word(lang, "date_unknown")
    text = _babel_format_date(parsed, "long", locale=resolve_lang(lang))
    label = {"event": "event_date", "published": "published_date"}.get((basis or "").lower())
    return f"{text} ({word(lang, label)})" if label else text


def format_outlet(outlet: str | None, lang: str) -> str:
    """The outlet name, or ``"media tidak diketahui"`` / ``"outlet unknown"``: the one wording for an
    unknown outlet wherever a user reads it (citations, lists of outlets, what the coverage holds),
    and one ``--outlet`` takes back (:data:`embeddings.filters.UNKNOWN_OUTLET`)."""
    return outlet.strip() if outlet and outlet.strip() else word(lang, "outlet_unknown")


def format_title(title: str | None, lang: str) -> str:
    """The article title, or ``"judul tidak diketahui"`` / ``"title unknown"``."""
    return title.strip() if title and title.strip() else word(lang, "title_unknown")


def citation(result: Result | Article, lang: str) -> str:
    """``"QNews · 4 Februari 2026 · Putin: …"`` (plain text, not escaped)."""
    return " · ".join((format_outlet(result.outlet, lang), format_date(result.date, result.date_basis, lang),
                       format_title(result.title, lang)))


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
        return word(lang, "date_unknown")
    first, last = (dates[0], dates[-1]) if iso else (format_date(d, None, lang) for d in (dates[0], dates[-1]))
    span = first if first == last else f"{first} – {last}"
    if len(dates) < len(sources):
        span += ", " + word(lang, "undated").format(n=format_count(len(sources) - len(dates), lang))
    return span


def outlet_names(sources: Sequence[Article], lang: str) -> list[str]:
    """The outlets of ``sources``, sorted, each once, then :func:`format_outlet`'s unknown label when
    some article has no outlet: said, not left out, and in the words citations use and ``--outlet``
    takes (an audit found three wordings in one answer, and copying one into ``--outlet`` failed)."""
    named = sorted({a.outlet.strip() for a in sources if a.outlet and a.outlet.strip()}, key=str.lower)
    unknown = any(not (a.outlet and a.outlet.strip()) for a in sources)
    return named + [format_outlet(None, lang)] if unknown else named


def coverage_facts(sources: Sequence[Article], lang: str) -> dict[str, str | int | list[str]]:
    """What the index covers, taken from ``service.sources()`` (plain strings, not escaped):
    ``count``, ``articles`` (the word, singular or plural), ``outlets`` (joined names), ``span``
    (date range) and a few ``titles``."""
    outlets = outlet_names(sources, lang)
    joiner = " dan " if resolve_lang(lang) == "id" else " and "
    names = ", ".join(outlets[:-1]) + joiner + outlets[-1] if len(outlets) > 1 else "".join(outlets)
    titles = [a.title.strip() for a in sources if a.title and a.title.strip()]
    return {
        "count": len(sources),
        "articles": "artikel" if resolve_lang(lang) == "id" else "article" if len(sources) == 1 else "articles",
        "outlets": names or word(lang, "outlet_unknown"),
        "span": date_span(sources, lang),
        "titles": titles[:5],
    }


def covers_text(facts: dict[str, str | int | list[str]], lang: str) -> str:
    """What the coverage holds (:func:`coverage_facts`), before its titles: "…, including:" for
    several articles, not for the only one; the count as the language writes it (``1.234 artikel``)."""
    count = format_count(facts["count"], lang)  # type: ignore[arg-type]
    return word(lang, "covers_one" if facts["count"] == 1 else "covers").format(**{**facts, "count": count})


def searched_named_note(answer: Answer, lang: str) -> str | None:
    """For an answer from the outlets the question names: that only their coverage was searched (the
    extracts all being theirs is no accident, and the rest of the coverage was not looked at)."""
    if not answer.answered or not answer.outlets_named:
        return None
    return word(lang, "searched_named").format(outlets=", ".join(answer.outlets_named))


def truncation_note(lang: str) -> str:
    """That the question was cut to ``MAX_QUESTION_CHARS`` (the number in the language's format)."""
    return word(lang, "truncated").format(n=format_count(MAX_QUESTION_CHARS, lang))


def more_text(n: int, lang: str, key: str = "more", **extra: object) -> str:
    """``"1 more extract available."`` / ``"3 more extracts available."`` (``key``: which hint; "to
    see it" / "to see them"). ``n`` as the language writes it; ``extra`` as given (``-k 1000`` is typed
    back, so it stays a number the option parses)."""
    return word(lang, key).format(n=format_count(n, lang), extracts="extract" if n == 1 else "extracts",
                                  them="it" if n == 1 else "them", are="is" if n == 1 else "are", **extra)


# --------------------------------------------------------------------------------------------- HTML


def e(value: object) -> str:
    """Escape one dynamic value for Telegram HTML (``<``, ``>``, ``&`` and quotes)."""
    return html.escape(str(value), quote=True)


def _html_header(answer: Answer, lang: str) -> list[str]:
    """The question echoed (escaped, elided), and the truncation note when it was cut."""
    blocks = [f"{e(word(lang, 'question'))}: <i>{e(shorten(answer.question, QUESTION_ECHO_CHARS))}</i>"]
    if answer.truncated:
        blocks.append(f"<i>{e(truncation_note(lang))}</i>")
    return blocks


def html_result_block(result: Result, number: int, lang: str) -> str:
    """One extract block: ``<b>1.</b> «extract»`` / ``— <b>outlet</b> · date · title`` / section."""
    lines = [
        f"<b>{number}.</b> «{e(result.extract)}»",
        f"— <b>{e(format_outlet(result.outlet, lang))}</b> · "
        f"{e(format_date(result.date, result.date_basis, lang))} · {e(format_title(result.title, lang))}",
    ]
    if result.section:
        lines.append(f"<i>{e(word(lang, 'section'))}: {e(result.section)}</i>")
    if not result.relevant:
        lines.append(f"<i>({e(word(lang, 'filler'))})</i>")
    return "\n".join(lines)


def abstention_sources(answer: Answer, sources: Sequence[Article]) -> list[Article]:
    """The articles an abstention says the coverage holds: when the question named outlets, theirs
    (their coverage is what did not answer, as with ``--outlet``); else all of ``sources``."""
    if not answer.outlets_named:
        return list(sources)
    return [a for a in sources if a.outlet in answer.outlets_named]


def html_abstain_blocks(answer: Answer, lang: str, sources: Sequence[Article] = ()) -> list[str]:
    """The honest no-answer reply: the question echoed (escaped), that the coverage does not answer
    it, and what it does cover (outlets, dates, a few titles: :func:`abstention_sources`). Never a
    nearest unrelated paragraph."""
    blocks = _html_header(answer, lang) + [f"<b>{e(abstain_text(answer, lang))}</b>"]
    if sources := abstention_sources(answer, sources):
        facts = coverage_facts(sources, lang)
        hint = e(covers_text(facts, lang))
        titles = "\n".join(f"• {e(t)}" for t in facts["titles"])  # type: ignore[union-attr]
        blocks.append(f"{hint}\n{titles}" if titles else hint)
    if answer.outlets_named:
        blocks.append(e(word(lang, "without_naming")))
    return blocks


def abstain_text(answer: Answer, lang: str) -> str:
    """That the coverage does not answer: the whole coverage's verdict, or, when the question named
    outlets ("Apa kata Gate soal Taiwan?"), only theirs (other outlets may well answer it)."""
    if answer.outlets_named:
        return word(lang, "abstain_named").format(outlets=", ".join(answer.outlets_named))
    return word(lang, "abstain")


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
    if start_rank == 1 and (note := searched_named_note(answer, lang)):
        blocks.append(f"<i>{e(note)}</i>")
    blocks += [html_result_block(r, start_rank + i, lang) for i, r in enumerate(answer.results)]
    if answer.more:
        blocks.append(f"<i>{e(more_text(answer.more, lang))}</i>")
    return split_html_messages(blocks)
