"""Unit tests for bot/formatting.py and bot/html_split.py: dates, unknowns, HTML escaping and splitting at 4096.

Every HTML output is also run through the fake Bot API server's parser (what Telegram accepts).
"""

from __future__ import annotations

import re

import pytest

from bot.answers import filter_miss_lines, format_answer_text
from bot.formatting import (
    coverage_facts,
    format_answer_html,
    format_date,
    format_outlet,
)
from bot.html_split import html_length, split_html_messages
from bot.language import detect_lang, format_count, format_seconds
from embeddings.filters import Filters, selects_unknown_outlet
from embeddings.records import Answer, Article, Result
from tests.botapi_server import BotAPIError, parse_html

SEED_LIKE = "Wang Yi menyebut <b>kerja sama</b> Rusia & China “tanpa batas” <p>Baca Juga</p> a<b && c > d"


def result(rank: int = 1, **overrides: object) -> Result:
    values: dict = dict(
        rank=rank, article_id="001", source_file="001_x.txt", outlet="QNews", date="2026-02-04",
        date_basis="published", title="Putin: Aliansi Rusia dan China sebagai Faktor Stabilitas Global",
        section=None, paragraph="p", extract="Putin menekankan hubungan strategis.", score=0.9,
    )  # fmt: skip
    values.update(overrides)
    return Result(**values)


def test_format_date_indonesian_and_english_says_a_publication_date_is_one() -> None:
    assert format_date("2026-02-04", "published", "id") == "4 Februari 2026 (tanggal terbit)"
    assert format_date("2026-02-04", "published", "en") == "February 4, 2026 (published)"
    assert format_date("2026-02-04", None, "id") == "4 Februari 2026"  # a basis not given is not guessed


def test_format_date_event_date_is_marked() -> None:
    assert format_date("2026-02-04", "event", "id") == "4 Februari 2026 (tanggal peristiwa)"
    assert format_date("2026-02-04", "event", "en") == "February 4, 2026 (event date)"


def test_unknown_date_and_outlet_are_said_plainly() -> None:
    assert format_date(None, None, "id") == "tanggal tidak diketahui"
    assert format_date(None, "event", "en") == "date unknown"
    assert format_date("not-a-date", None, "en") == "date unknown"
    assert format_outlet(None, "id") == "media tidak diketahui"
    assert format_outlet("  ", "en") == "outlet unknown"
    text = format_answer_text(Answer("q", True, [result(outlet=None, date=None, date_basis=None)]), "id")
    assert "— media tidak diketahui · tanggal tidak diketahui · Putin: Aliansi" in text


def test_answer_text_numbered_extracts_with_citation_and_section() -> None:
    answer = Answer("q", True, [result(1), result(2, section="Konteks Diplomasi", outlet="Gate")], more=3)
    text = format_answer_text(answer, "id")
    assert "1. «Putin menekankan hubungan strategis.»" in text
    assert (
        "— QNews · 4 Februari 2026 (tanggal terbit) · Putin: Aliansi Rusia dan China sebagai Faktor Stabilitas "
        "Global" in text
    )
    assert "Bagian: Konteks Diplomasi" in text
    assert "Masih ada 3 kutipan lain: tanyakan lagi dengan -k 5 untuk melihatnya." in text


def test_one_more_extract_is_singular_in_text_and_html() -> None:
    one, two = Answer("q", True, [result(1)], more=1), Answer("q", True, [result(1)], more=2)
    assert format_answer_text(one, "en").endswith("\n1 more extract available: ask again with -k 2 to see it.")
    assert format_answer_text(two, "en").endswith("\n2 more extracts available: ask again with -k 3 to see them.")
    assert format_answer_text(one, "id").endswith("\nMasih ada 1 kutipan lain: tanyakan lagi dengan -k 2 "
                                                  "untuk melihatnya.")
    assert "1 more extract available." in parse_html(format_answer_html(one, "en")[-1])
    assert "2 more extracts available." in parse_html(format_answer_html(two, "en")[-1])
    assert format_answer_text(one, "en", in_chat=True).endswith('1 more extract available: type "more" to see it.')
    many = Answer("q", True, [result(i) for i in range(1, 11)], more=41)  # 51 in all: one more than -k allows
    assert format_answer_text(many, "en").endswith("\n41 more extracts available: ask again with -k 50 to see 40 of "
                                                   "them, or page through them all with coverage-bot chat.")
    assert format_answer_text(many, "en", in_chat=True).endswith('41 more extracts available: type "more" to see them.')
    short = Answer("q", True, [result(i) for i in range(1, 4)])  # three, none left, twenty asked for
    assert format_answer_text(short, "en", asked=20).endswith(
        "\nOnly 3 extracts are relevant enough to show for this question (20 asked for).")
    assert format_answer_text(short, "id", asked=20).endswith("\nHanya 3 kutipan ini yang cukup relevan untuk "
                                                             "pertanyaan ini (diminta 20).")
    assert "relevant enough" not in format_answer_text(short, "en", asked=3)  # all that was asked for
    assert format_answer_text(Answer("q", True, [result(1)]), "en", asked=5).endswith(
        "\nOnly 1 extract is relevant enough to show for this question (5 asked for).")


def test_the_closing_line_does_not_count_extracts_shown_for_comparison_as_relevant() -> None:
    """The audit read "Only 2 extracts are relevant enough" under an extract marked "Less relevant:
    shown for comparison"."""
    def answer(fillers: int) -> Answer:
        return Answer("q", True, [result(1)] + [result(i, relevant=False) for i in range(2, 2 + fillers)])

    assert format_answer_text(answer(1), "en", asked=5).endswith(
        "\nOnly 1 of these 2 extracts is relevant enough for this question (5 asked for); the other is shown for "
        "comparison.")
    assert format_answer_text(answer(2), "en", asked=5).endswith(
        "\nOnly 1 of these 3 extracts is relevant enough for this question (5 asked for); the others are shown for "
        "comparison.")
    assert format_answer_text(answer(1), "id", asked=5).endswith(
        "\nHanya 1 dari 2 kutipan ini yang cukup relevan untuk pertanyaan ini (diminta 5); sisanya ditampilkan "
        "sebagai pembanding.")
    fifty = Answer("q", True, [result(i) for i in range(1, 11)], more=40)
    assert format_answer_text(fifty, "en").endswith("\n40 more extracts available: ask again with -k 50 to see them.")


def test_a_result_that_only_fills_the_top_five_is_marked_as_such() -> None:
    answer = Answer("q", True, [result(1), result(2, relevant=False, article_id="002")])
    text = format_answer_text(answer, "en")
    marker = "(Less relevant: shown for comparison, it may not answer the question.)"
    assert text.count(marker) == 1 and text.index(marker) > text.index("2. «")
    assert "(Kurang relevan: ditampilkan sebagai pembanding" in format_answer_text(answer, "id")
    html = parse_html(format_answer_html(answer, "en")[0])
    assert html.count(marker) == 1 and html.index(marker) > html.index("2. «")


def test_abstain_text_is_honest_and_hints_at_coverage() -> None:
    sources = [
        Article("000", "000.txt", "Gate", "2025-06-14", "event", "Putin dan Xi Mengutuk Serangan Israel"),
        Article("001", "001.txt", "QNews", "2026-02-04", "published", "Putin: Aliansi Rusia dan China"),
        Article("002", "002.txt", None, None, None, None),
    ]
    text = format_answer_text(Answer("nasi goreng?", False), "id", sources=sources)
    assert text.startswith("Liputan yang diindeks tidak menjawab pertanyaan ini.")
    assert ("3 artikel dari Gate, QNews dan media tidak diketahui (14 Juni 2025 – 4 Februari 2026, "
            "1 tanpa tanggal)") in text  # the unknowns are said, not left out
    assert "Putin dan Xi Mengutuk Serangan Israel" in text
    facts = coverage_facts(sources, "en")
    assert facts["outlets"] == "Gate, QNews and outlet unknown"
    assert facts["span"] == "June 14, 2025 – February 4, 2026, 1 undated"
    assert coverage_facts(sources[:2], "en")["outlets"] == "Gate and QNews"


def test_truncated_question_is_mentioned() -> None:
    answer = Answer("x" * 2000, True, [result()], truncated=True)
    assert "2.000 karakter" in format_answer_text(answer, "id")
    assert "2,000 characters" in "".join(format_answer_html(answer, "en"))


def test_html_escapes_seed_paragraph_and_question() -> None:
    answer = Answer(
        "Apa arti <b>&</b>?", True, [result(extract=SEED_LIKE, title="A <i>T</i> & co", section="<s>")]
    )
    (message,) = format_answer_html(answer, "id")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in message
    assert "&lt;p&gt;Baca Juga&lt;/p&gt;" in message and "a&lt;b &amp;&amp; c &gt; d" in message
    visible = parse_html(message)  # Telegram would accept it
    assert SEED_LIKE in visible and "Apa arti <b>&</b>?" in visible
    assert "— QNews · 4 Februari 2026 (tanggal terbit) · A <i>T</i> & co" in visible
    assert "Bagian: <s>" in visible


def test_html_ranks_continue_from_start_rank_and_no_header_on_later_pages() -> None:
    answer = Answer("q", True, [result(6), result(7)], more=0)
    (message,) = format_answer_html(answer, "en", start_rank=6)
    assert message.startswith("<b>6.</b> «") and "<b>7.</b>" in message
    assert "Question:" not in message


def test_html_abstain_escapes_question_and_lists_coverage() -> None:
    sources = [Article("001", "001.txt", "Q&A <News>", "2026-02-04", "published", "T <1>")]
    (message,) = format_answer_html(Answer("<b>&</b>", False), "en", sources=sources)
    visible = parse_html(message)
    assert "Question: <b>&</b>" in visible
    assert "The indexed coverage does not answer this question." in visible
    assert "1 article from Q&A <News> (February 4, 2026)" in visible and "• T <1>" in visible


def test_split_packs_blocks_and_splits_only_between_blocks() -> None:
    blocks = [
        f"<b>{i}.</b> «{'kata ' * 150}»\n— <b>QNews</b> · 4 Februari 2026 · Judul" for i in range(1, 12)
    ]
    messages = split_html_messages(blocks)
    assert len(messages) > 1
    assert all(html_length(m) <= 4096 for m in messages)
    assert "\n\n".join(messages) == "\n\n".join(blocks)  # nothing lost, every cut at a block boundary
    for m in messages:
        parse_html(m)


def test_answer_over_4096_is_split_at_extract_boundaries() -> None:
    long_extract = "Rusia & China <mitra>. " * 60  # ~1.4k characters, ~1.9k after escaping
    answer = Answer("q", True, [result(i, extract=long_extract) for i in range(1, 6)])
    messages = format_answer_html(answer, "id")
    assert len(messages) >= 3
    for m in messages:
        assert html_length(m) <= 4096
        assert len(parse_html(m)) <= 4096
    numbers = [int(n) for m in messages for n in re.findall(r"<b>(\d+)\.</b>", m)]
    assert numbers == [1, 2, 3, 4, 5]


def test_single_oversized_block_is_cut_at_sentence_with_tags_closed() -> None:
    sentence = "Putin &amp; Xi bertemu di Moskow untuk membahas kerja sama. "
    block = "<b>1.</b> «<i>" + sentence * 200 + "</i>»\n— <b>QNews</b>"
    messages = split_html_messages([block], limit=1000)
    assert len(messages) > 4
    for m in messages:
        assert html_length(m) <= 1000
        parse_html(m)  # balanced, no cut entity
    assert messages[0].endswith("kerja sama.</i>")
    assert messages[1].startswith("<i>Putin &amp; Xi")
    joined = "".join(parse_html(m) for m in messages)
    assert joined.replace(" ", "") == parse_html(block).replace(" ", "")


def test_single_block_without_sentences_is_cut_at_words() -> None:
    """No sentence end to cut at: the block is cut between words, each piece in its own bold tags, and
    the words of the pieces, read in order, are exactly the block's (none lost, split or repeated)."""
    block = "<b>" + "katapanjang " * 500 + "</b>"
    messages = split_html_messages([block], limit=500)
    assert len(messages) > 1
    for m in messages:
        assert html_length(m) <= 500 and m.startswith("<b>") and m.endswith("</b>")
        assert not re.search(r"\S</b>$", m) or m.endswith("katapanjang</b>")
    assert " ".join(parse_html(m) for m in messages).split() == parse_html(block).split()


def test_an_oversized_extract_shares_its_first_message_with_the_question() -> None:
    """One 6,300-character sentence (a paragraph the cleaner could not split): the question's header is
    not sent alone, the extract begins right under it, and the answer takes the two messages Telegram's
    limit needs, each valid HTML within 4096, with no word lost or split at the cut."""
    extract = " ".join(f"kata{i % 10}" for i in range(1050)) + "."
    assert len(extract) > 6000
    messages = format_answer_html(Answer("Siapa Wang Yi?", True, [result(extract=extract)]), "id")
    assert len(messages) == 2
    assert messages[0].startswith("Pertanyaan: <i>Siapa Wang Yi?</i>\n\n<b>1.</b> «kata0 kata1")
    for m in messages:
        assert html_length(m) <= 4096 and len(parse_html(m)) <= 4096
    shown = " ".join(" ".join(parse_html(m).split()) for m in messages)  # the cut is between two words
    assert f"«{extract}»" in shown


def test_an_oversized_block_fills_what_the_message_before_it_left() -> None:
    """Blocks before an oversized one keep their message, and its first piece fills what is left (cut
    between words); when not a word fits there, it starts the next message."""
    block = "<i>" + "kata " * 300 + "</i>"  # 1507 characters
    messages = split_html_messages(["header", block], limit=1000)
    assert messages[0].startswith("header\n\n<i>kata") and html_length(messages[0]) > 900
    assert all(html_length(m) <= 1000 for m in messages) and len(messages) == 2
    assert " ".join(parse_html(m) for m in messages).split() == ["header"] + ["kata"] * 300
    tight = split_html_messages(["h" * 990, block], limit=1000)  # 8 characters left: "<i>kata</i>" is 11
    assert tight[0] == "h" * 990 and tight[1].startswith("<i>kata")


def test_split_counts_emoji_as_two_units() -> None:
    messages = split_html_messages(["😀" * 3000])
    assert all(html_length(m) <= 4096 for m in messages) and len(messages) == 2


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("Apa sikap Putin soal Taiwan?", "en", "en"),
        ("Apa sikap Putin soal Taiwan?", "id", "id"),
        ("Who offered to mediate?", "id", "en"),
        ("What did Putin say about the unipolar world?", None, "en"),
        ("Bagaimana cara membuat nasi goreng?", None, "id"),
        ("Russia China trade", "id", "en"),  # a keyword question: English spellings tell it
        ("Xi Jinping visit Moscow", None, "en"),
        ("KTT SCO Samarkand", "id", "id"),
        # No function words: the language identifier reads the ordinary words (names left out).
        ("steel friends", None, "en"),
        ("Steel friends?", None, "en"),  # a phone capitalizes the first word: it is no name
        ("https://example.com/x?y=1", "id", "id"),  # a link alone: "https", "com" are no English
        ("Putin AND Xi Taiwan", None, "id"),  # "AND" typed as a search operator is no English word here
        ("no limits partnership", None, "en"),
        ("Xinjiang crimes against humanity UN", None, "en"),
        ("kemitraan tanpa batas Xi Putin", None, "id"),
        ("ktt sco", None, "id"),  # read as English by the identifier; "ktt" is an Indonesian marker
        ("Ushakov", None, "id"),  # a name alone says nothing (the identifier: English, 0.68)
        ("ushakov lavrov", "id", "id"),  # names typed in lowercase: English at 0.62, not sure enough
        ("Putin Xi", "en-US", "en"),
        ("Putin Xi", "id", "id"),
        ("", None, "id"),
    ],
)
def test_detect_lang(text: str, code: str | None, expected: str) -> None:
    assert detect_lang(text, code) == expected


def test_fake_server_parser_rejects_what_telegram_rejects() -> None:
    for bad in [
        "<p>x</p>",
        "<b>x",
        "<b><i>x</b></i>",
        "a < b",
        "a & b",
        "&nbsp;",
        "x</b>",
        "a > b",
        "<span>x</span>",
    ]:
        with pytest.raises(BotAPIError, match="can't parse entities"):
            parse_html(bad)
    assert parse_html('<b>a</b> &lt;&amp;&gt;&quot;&#33; <span class="tg-spoiler">s</span>') == 'a <&>"! s'


UNKNOWN_SOURCES = [
    Article("000", "000.txt", "Gate", "2025-06-14", "event", "Putin dan Xi Mengutuk Serangan Israel"),
    Article("001", "001.txt", "Reuters", "2026-02-04", "published", "Putin: Aliansi Rusia dan China"),
    Article("002", "002.txt", None, None, None, "Tanpa media"),
    Article("003", "003.txt", " ", "2024-01-01", "event", "Tanpa media juga"),
]


@pytest.mark.parametrize(("lang", "label"), [("id", "media tidak diketahui"), ("en", "outlet unknown")])
def test_an_unknown_outlet_has_one_wording_that_outlet_filters_take(lang: str, label: str) -> None:
    """The audit's Indonesian answer said "media tidak diketahui" in a citation, "… Reuters dan media
    yang tidak disebutkan" in the no-answer summary and "…, Reuters, tidak diketahui." after a filter
    that left nothing; the summary's phrase, copied into --outlet, matched no article. Every place now
    says the citation's words, and --outlet takes them (with the list's final period, as copied)."""
    citation = format_answer_text(Answer("q", True, [result(outlet=None)]), lang)
    summary = format_answer_text(Answer("q", False), lang, sources=UNKNOWN_SOURCES)
    listing = "\n".join(filter_miss_lines(Filters(outlet="Kompas"), UNKNOWN_SOURCES, lang))
    html = parse_html(format_answer_html(Answer("q", False), lang, sources=UNKNOWN_SOURCES)[0])
    assert f"— {label} · " in citation
    joiner = "dan" if lang == "id" else "and"
    assert f"Gate, Reuters {joiner} {label} (" in summary and f"Gate, Reuters {joiner} {label} (" in html
    assert listing.splitlines()[1].endswith(f"Gate, Reuters, {label}.")
    for text in (citation, summary, listing, html):
        assert "disebutkan" not in text and "unnamed" not in text and ", unknown." not in text
        assert ", tidak diketahui." not in text and " tidak diketahui (" not in text.replace(label, "")
    for copied in (label, f"{label}.", label.upper(), f'"{label}"'):
        assert selects_unknown_outlet(copied), copied
    for earlier in ("media yang tidak disebutkan", "an unnamed outlet", "unnamed outlets"):  # older summaries
        assert selects_unknown_outlet(earlier), earlier
    assert not selects_unknown_outlet("Reuters") and not selects_unknown_outlet("media")


def test_indonesian_numbers_use_indonesian_separators_and_typed_numbers_stay_typable() -> None:
    """1.234 kutipan / 1,234 extracts, 1,5 detik / 1.5 s; but "-k 50" is what the user types back."""
    assert (format_count(1234, "id"), format_count(1234, "en")) == ("1.234", "1,234")
    assert (format_seconds(1.0, "id"), format_seconds(1.5, "en"), format_seconds(0.05, "id")) == ("1,0", "1.5", "0,05")
    many = Answer("q", True, [result(1)], more=1234)
    assert format_answer_text(many, "id").endswith(
        "Masih ada 1.234 kutipan lain: tanyakan lagi dengan -k 50 untuk melihat 49 di antaranya, atau telusuri "
        "semuanya dengan coverage-bot chat.")
    assert format_answer_text(many, "en", in_chat=True).endswith('1,234 more extracts available: type "more" to see '
                                                                 "them.")
    assert "Masih ada 1.234 kutipan lain." in parse_html(format_answer_html(many, "id")[-1])
    sources = [Article(f"{i:04}", f"{i:04}.txt", "QNews", None if i % 2 else "2025-01-01", "event", f"T{i}")
               for i in range(2468)]
    text = format_answer_text(Answer("nasi goreng?", False), "id", sources=sources)
    assert "Liputan ini mencakup 2.468 artikel dari QNews (1 Januari 2025, 1.234 tanpa tanggal)" in text
    assert "It covers 2,468 articles from QNews (January 1, 2025, 1,234 undated)" in format_answer_text(
        Answer("rendang?", False), "en", sources=sources)
