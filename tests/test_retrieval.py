"""Retrieval for real over the bundled seeds: answers, extracts, bad input, filters, paging."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from embeddings.errors import EmptyQuestion
from embeddings.evaluation import is_verbatim
from embeddings.question import normalize_question, question_focus, without_tags
from embeddings.sentences import sentence_spans, strip_ellipses
from embeddings.service import MAX_QUESTION_CHARS, CoverageService

DATA = Path(__file__).parent / "data"

QUESTIONS = [
    "Apa sikap Putin soal Taiwan?",
    "Who offered to mediate?",
    "Bagaimana hubungan Rusia dan China menurut Wang Yi?",
    "What did Xi and Putin say about the United States?",
    "KTT SCO Samarkand",
    "Apa kata Lavrov?",
]


def test_putin_on_taiwan_cites_the_samarkand_article(service: CoverageService):
    answer = service.ask("Apa sikap Putin soal Taiwan?")
    assert answer.answered
    top = answer.results[0]
    assert top.article_id == "003_5f9adbd90754c8a2" and "prinsip satu China" in top.extract
    assert (top.outlet, top.date, top.date_basis) == (None, "2022-09-15", "event")
    assert top.source_file == "seeds/003_5f9adbd90754c8a2.txt"


def test_english_question_over_indonesian_text(service: CoverageService):
    answer = service.ask("Who offered to mediate?")
    assert answer.answered
    top = answer.results[0]
    assert top.article_id == "000_4e0ddd56fe88a339" and "mediator" in top.extract
    assert (top.outlet, top.date) == ("Gate", "2025-06-19")


def test_words_of_order_and_time_count_in_an_indonesian_question(service: CoverageService):
    """"terakhir", "langsung" are on Sastrawi's stop list; dropped, the question kept only its names
    and the lead paragraph (the video call) ranked above the one that answers it."""
    answer = service.ask("Kapan terakhir kali Putin bertemu langsung dengan Xi sebelum panggilan video?")
    assert answer.answered
    assert "terakhir kali bertemu langsung dengan Xi pada September" in answer.results[0].paragraph


@pytest.mark.parametrize("question", [
    "Bagaimana cara membuat nasi goreng?", "Who won the Champions League final?",
    # Indonesian questions about names the coverage never mentions, however close the topic:
    "Berapa jumlah korban tewas di Gaza?", "Apa hasil pertemuan Trump dan Putin di Alaska?",
    "Siapa presiden Indonesia?", "Apa peran Korea Utara dalam hubungan Rusia dan China?",
])
def test_off_topic_questions_abstain(service: CoverageService, question: str):
    answer = service.ask(question)
    assert not answer.answered and answer.results == [] and answer.more == 0


@pytest.mark.parametrize("question", [
    "What did Putin say about Gaza?", "What did Macron say about Xi?", "When did Putin visit Jakarta?",
    "What did Putin say about Venezuela?", "Did Japan react to the Putin-Xi summit?",
])
def test_english_questions_about_names_the_coverage_never_mentions_abstain(service: CoverageService, question: str):
    """The audit's journalist got Putin's offer to mediate on Iran as "what Putin said about Gaza": an
    English question was exempt from the unknown-name check, since it spells the coverage's names its
    own way. A one-word name with no counterpart among the coverage's tokens now abstains, as its
    Indonesian twin ("Apa kata Putin soal Gaza?") does."""
    assert not service.ask(question).answered


@pytest.mark.parametrize(("question", "article"), [
    ("Who does China blame for the Ukraine conflict?", "002"),  # Ukraina
    ("How do Kyiv and its Western allies view the root causes argument?", "004"),  # Barat
    ("What did Putin tell Erdogan in Samarkand?", "003"),
    ("What did Putin say about Turkey?", "003"),  # Turki
    ("How did Uzbekistan host the summit?", "003"),
    ("Did the coverage mention Tehran?", "000"),  # Teheran
    ("What did the PRC say about the war in Ukraine?", "003"),  # an acronym: not judged
])
def test_english_names_spelled_their_own_way_are_still_answered(service: CoverageService, question: str,
                                                                 article: str):
    answer = service.ask(question)
    assert answer.answered and any(r.article_id.startswith(article) for r in answer.results[:3]), question


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_extract_is_verbatim_and_cut_at_sentence_boundaries(service: CoverageService, question: str):
    answer = service.ask(question, k=10)
    assert answer.results
    for result in answer.results:
        assert is_verbatim(result)
        core = strip_ellipses(result.extract)
        starts = {s for s, _ in sentence_spans(result.paragraph)}
        ends = {e for _, e in sentence_spans(result.paragraph)}
        begin = result.paragraph.index(core)
        assert begin in starts and begin + len(core) in ends
        assert result.extract.startswith("…") == (begin > 0)


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_duplicates_and_at_most_two_per_article_in_top_five(service: CoverageService, question: str):
    results = service.ask(question, k=10).results
    paragraphs = [r.paragraph for r in results]
    assert len(paragraphs) == len(set(paragraphs))
    assert max(Counter(r.article_id for r in results[:5]).values()) <= 2
    assert [r.rank for r in results] == list(range(1, len(results) + 1))


@pytest.mark.parametrize(("question", "outlet", "articles"), [
    ("Apa kata Wang Yi?", "ivoox", {"002_b3f9beaf9b0610d6"}),  # one article left by the filter
    ("Apa kata Gate soal Iran?", None, {"000_4e0ddd56fe88a339"}),  # one left by the outlet named
])
def test_the_cap_gives_way_when_the_articles_searched_cannot_fill_the_top_five(
        service: CoverageService, question: str, outlet: str | None, articles: set[str]):
    """Two per article cannot fill five places from one article: its further paragraphs take them,
    in score order, rather than leaving the answer short (README, "score")."""
    results = service.ask(question, outlet=outlet).results
    assert len(results) >= 3 and {r.article_id for r in results} == articles
    relevant = [r.score for r in results if r.relevant]
    assert relevant == sorted(relevant, reverse=True)


@pytest.mark.parametrize("question", [
    *QUESTIONS, "Apa yang mendorong kerja sama Rusia dan China terus berkembang sejak 2022?"])
def test_scores_do_not_rise_down_the_results(service: CoverageService, question: str):
    scores = [r.score for r in service.ask(question).results]
    assert scores and all(type(s) is float for s in scores)  # plain floats: JSON-serialisable
    assert scores == sorted(scores, reverse=True)
    after_top = [r.score for r in service.ask(question, k=50).results][5:]  # past the diversity seams
    assert after_top == sorted(after_top, reverse=True)


def test_titles_and_headings_are_never_results(service: CoverageService):
    titles = {a.title for a in service.sources()}
    headings = {"Front Bersatu Melawan Eskalasi Militer", "KTT G7 dan Konflik Ukraina Juga Dibahas",
                "Kemitraan Strategis dan Kerja Sama Ekonomi", "Pertemuan September di China Dikonfirmasi"}
    for question in ["KTT G7 dan Konflik Ukraina Juga Dibahas", "Putin: Aliansi Rusia dan China", *QUESTIONS]:
        for result in service.ask(question, k=20).results:
            assert result.paragraph not in titles | headings


def test_paging_continues_ranks_without_overlap(service: CoverageService):
    first = service.ask("Putin dan Xi Jinping", k=5)
    second = service.ask("Putin dan Xi Jinping", k=5, offset=5)
    assert [r.rank for r in second.results] == list(range(6, 6 + len(second.results)))
    assert not {r.paragraph for r in first.results} & {r.paragraph for r in second.results}
    assert first.more == len(second.results) + second.more


def test_outlet_and_date_filters(service: CoverageService):
    qnews = service.ask("hubungan Rusia dan China", k=10, outlet="qnews")
    assert qnews.results and {r.outlet for r in qnews.results} == {"QNews"}
    recent = service.ask("hubungan Rusia dan China", k=10, since=date(2025, 1, 1), until=date(2025, 12, 31))
    assert recent.results and all("2025-01-01" <= r.date <= "2025-12-31" for r in recent.results)
    nothing = service.ask("hubungan Rusia dan China", outlet="Kompas")
    assert not nothing.answered and nothing.results == [] and nothing.filtered_out
    assert service.ask("hubungan Rusia dan China", since=date(2026, 1, 1), until=date(2020, 1, 1)).filtered_out
    assert not qnews.filtered_out and not recent.filtered_out


def test_a_blank_outlet_filter_is_no_filter(service: CoverageService):
    """Not a filter that leaves everything: a question naming an outlet is still answered from it."""
    unfiltered = service.ask("Apa kata Gate soal Iran?")
    blank = service.ask("Apa kata Gate soal Iran?", outlet="  ")
    assert unfiltered.outlets_named == blank.outlets_named == ("Gate",)
    assert [r.paragraph for r in blank.results] == [r.paragraph for r in unfiltered.results]
    assert service.retriever().allowed(" ") is None


@pytest.mark.parametrize("question", ["Apa sikap Putin soal Taiwan?", "What did Putin say about Taiwan?"])
@pytest.mark.parametrize("filters", [{"outlet": "ntv"}, {"outlet": "gate"}, {"since": date(2025, 1, 1)}])
def test_a_filter_leaving_no_coverage_of_the_question_abstains(service: CoverageService, question: str,
                                                               filters: dict):
    # Only the 2022 and 2023 articles (003, 002) mention Taiwan: after the filter, nothing says.
    assert service.ask(question).answered
    answer = service.ask(question, **filters)
    assert not answer.answered and answer.results == [] and not answer.filtered_out


def test_a_filter_keeping_the_answer_still_answers(service: CoverageService):
    answer = service.ask("Apa sikap Putin soal Taiwan?", outlet="ivoox")
    assert answer.answered and {r.article_id[:3] for r in answer.results} == {"002"}
    assert "Taiwan" in answer.results[0].paragraph


@pytest.mark.parametrize("question", ["", "   ", "\n\t ", "\u200b", "\ufeff\u200b\u2060 \u200e"])
def test_empty_question_is_refused(service: CoverageService, question: str):
    with pytest.raises(EmptyQuestion):
        service.ask(question)


def test_a_question_after_long_pasted_context_survives_the_cut(service: CoverageService):
    context = "Saya sedang menulis artikel tentang hubungan Rusia dan China untuk koran kami minggu depan. " * 30
    answer = service.ask(context + "Apa sikap Putin soal Taiwan?")
    assert answer.truncated and len(answer.question) == MAX_QUESTION_CHARS
    assert answer.question.startswith("Saya sedang menulis")
    assert answer.question.endswith(" […] Apa sikap Putin soal Taiwan?")
    assert answer.answered and "Taiwan" in answer.results[0].paragraph


@pytest.mark.parametrize("question", ["Siapa yang menawarkan diri menjadi mediator?",
                                      "siapa yang menawarkan diri menjadi mediator?"])
def test_a_start_cut_mid_word_is_not_read_into_the_question(service: CoverageService, question: str):
    """The cut keeps "…dan t" of the context: "t" is no initial ("J.") that would glue it to the
    question, nor does a question typed in lower case join the sentence before the gap."""
    answer = service.ask("Ya, " + "Konteks berita ini panjang sekali dan tidak relevan. " * 50 + question)
    assert answer.truncated and answer.question.endswith(question)
    assert answer.question.split(" […] ")[0][-2:] == " t"  # the cut fell inside a word
    assert answer.answered and "mediator" in answer.results[0].paragraph


@pytest.mark.parametrize("asked", ["Apa kata Putin ... soal Taiwan?", "Apa kata Putin … soal Taiwan?"])
def test_an_ellipsis_the_user_typed_is_no_cut(asked: str):
    """Only the cut's own mark ends the part read: a long question's "…" is the user's."""
    context = "Saya membaca beberapa laporan tentang hubungan kedua negara minggu ini. " * 5
    assert question_focus(context + asked) == asked
    assert question_focus(context + "Dan tidak r [...] Apa sikap Putin soal Taiwan?") == "Apa sikap Putin soal Taiwan?"


def test_huge_question_is_cut_not_refused(service: CoverageService):
    answer = service.ask("Apa sikap Putin soal Taiwan? " * 200)
    assert answer.truncated and len(answer.question) == MAX_QUESTION_CHARS
    assert answer.answered and "Taiwan" in answer.results[0].paragraph


CONTEXT = ("Saya seorang peneliti di sebuah universitas di Jakarta yang sedang menulis laporan panjang tentang "
           "kebijakan luar negeri negara-negara besar di kawasan Asia Pasifik, termasuk hubungan mereka dengan "
           "negara tetangga dan organisasi regional. Laporan ini akan dibaca oleh mahasiswa dan dosen. ")


@pytest.mark.parametrize(("question", "expected"), [
    (CONTEXT + "Apa sikap Putin soal Taiwan?", "prinsip satu China"),
    (CONTEXT * 5 + "Who offered to mediate between Israel and Iran?", "bertindak sebagai mediator"),
])
def test_a_long_question_is_read_for_what_it_asks(service: CoverageService, question: str, expected: str):
    """Context pasted before the question does not drown it (nor turn it into an abstention)."""
    answer = service.ask(question)
    assert answer.question == question and answer.answered
    assert expected in answer.results[0].paragraph


def test_a_long_text_that_asks_nothing_the_coverage_holds_abstains(service: CoverageService):
    assert not service.ask(CONTEXT * 3).answered


@pytest.mark.parametrize("question", [
    "Putin and Xi Jinping spoke by phone in June 2025 about Israel's strikes on Iran, according to several "
    "Indonesian outlets that I have been reading this week for a story on the reaction of Moscow and "
    "Beijing. What did they say?",  # 41 words: the question sentence alone names nothing
    "Why? Putin and Xi Jinping spoke by phone in June 2025 about Israel's strikes on Iran, according to "
    "several Indonesian outlets that I have been reading this week for a story on the reaction of Moscow.",
    'Xi told reporters, "Why should Russia and China bow to Washington?" I have been reading several '
    "Indonesian outlets this week for a long story about how Moscow and Beijing reacted when Putin and "
    "Xi spoke by phone in June 2025 about Israel's strikes on Iran, and what they condemned.",
])
def test_a_long_question_whose_question_sentence_says_little_is_read_whole(service: CoverageService,
                                                                            question: str):
    """"What did they say?" needs the context's names; a "?" in quoted speech is not the user's."""

    assert question_focus(question) == question
    answer = service.ask(question)
    assert answer.answered and answer.results[0].article_id.startswith("000")


@pytest.mark.parametrize(("question", "about"), [
    ('"Putin', "Putin"), ("Putin -Xi", "Putin"), ("Taiwan*", "Taiwan"), ("(Putin OR", "Putin"),
    ("Putin NEAR Xi", "Putin"), ("Putin AND", "Putin"), ("{text}: Putin", "Putin"), ("^Putin", "Putin"),
    ("<b>&</b> Taiwan?", "Taiwan"), ("Putin\u200b\u0000Xi", "Putin"), ('"Taiwan" AND "Putin"', "Taiwan"),
    ('Apa sikap "Putin" soal (Taiwan)?', "Taiwan"), ("Ｐｕｔｉｎ Ｔａｉｗａｎ", "Taiwan"),
])
def test_fts_syntax_is_just_words(service: CoverageService, question: str, about: str):
    """Operators and quotes are read as the words around them: the answer is about those words."""
    answer = service.ask(question)
    assert answer.answered and about in answer.results[0].paragraph
    assert all(is_verbatim(r) for r in answer.results)


@pytest.mark.parametrize("operator", ["AND", "OR", "NEAR"])
def test_a_search_operator_in_capitals_is_no_name_the_coverage_lacks(service: CoverageService, operator: str):
    """"Putin AND Xi", typed as for a search engine: the capitals made "AND" part of a name the coverage
    never uses, and an Indonesian question holding one abstains. It answers as with "dan"."""
    plain = service.ask("Apa sikap Putin dan Xi soal Taiwan?")
    answer = service.ask(f"Apa sikap Putin {operator} Xi soal Taiwan?")
    assert answer.answered and answer.results[0].paragraph == plain.results[0].paragraph
    assert not service.ask(f"Apa kata Putin soal Gaza {operator} Taiwan?").answered  # Gaza is still a name


@pytest.mark.parametrize("question", ['NEAR(" Xi', "Putin'); DROP TABLE paragraphs; --", "ﾌﾟｰﾁﾝ", "OR AND NOT"])
def test_syntax_alone_abstains_without_raising(service: CoverageService, question: str):
    answer = service.ask(question)
    assert not answer.answered and answer.results == []


@pytest.mark.parametrize("question", ['"""', "🇷🇺🤝🇨🇳", "😀😀", "?!?!", "?!?...,;", "-", "*", "<b>😀</b>",
                                      "<script>alert(1)</script>"])
def test_symbols_alone_are_refused_as_no_question(service: CoverageService, question: str):
    with pytest.raises(EmptyQuestion, match="in words"):
        service.ask(question)


def test_an_unknown_mode_is_a_clear_error(service: CoverageService):
    with pytest.raises(ValueError, match="mode must be one of hybrid, dense, bm25"):
        service.ask("Putin", mode="cosine")


@pytest.mark.parametrize(("plain", "noisy"), [
    ("Who offered to mediate?", "Who offered to mediate?!"),
    ("What did Putin say about Taiwan?", "What did Putin say about Taiwan?!!"),
    ("Siapa yang menawarkan mediasi?", "Siapa yang menawarkan mediasi?!"),
    ("Apa sikap Putin soal Taiwan?", "Apa sikap <b>Putin</b> soal <i>Taiwan</i>?"),
    ("Apa sikap Putin soal Taiwan?", "<p>Apa sikap Putin soal Taiwan?</p><br/>"),
    ("Apa sikap Putin soal Taiwan?", "Apa sikap Putin soal Taiwan? <script>alert(1)</script>"),
    ("Apa sikap Putin soal Taiwan?", "Apa sikap **Putin** soal _Taiwan_?"),
    ("Putin Taiwan", "**Putin** _Taiwan_"),
])
def test_punctuation_does_not_change_the_answer_or_its_top_result(service: CoverageService, plain: str, noisy: str):
    expected, answer = service.ask(plain), service.ask(noisy)
    assert expected.answered and answer.answered
    assert answer.results[0].paragraph == expected.results[0].paragraph


@pytest.mark.parametrize("question", ["Putin*", "(Putin", "Taiwan?!", "Wang Yi..."])
def test_a_name_with_stray_punctuation_is_still_answered(service: CoverageService, question: str):
    assert service.ask(question).answered


def test_known_names_in_any_form_do_not_block_an_answer(service: CoverageService):
    answer = service.ask("Apa kata Lavrov tentang perkembangan hubungan Rusia-China?")
    assert answer.answered and any("Lavrov" in r.paragraph for r in answer.results[:3])


def test_paragraphs_that_only_fill_the_top_five_are_marked_and_come_after_the_relevant_ones(
        service: CoverageService):
    # Only the Samarkand article speaks of the city's security; the cap leaves room in the top five.
    results = service.ask("Seperti apa pengamanan kota Samarkand selama KTT?", k=10).results
    top = results[:5]
    fillers = [r for r in top if not r.relevant]
    assert results[0].relevant and fillers, [(r.rank, r.relevant) for r in results]
    assert all(not r.relevant for r in top[top.index(fillers[0]):])  # relevant first, then fillers
    assert all("Samarkand" not in r.paragraph for r in fillers)  # they do not answer: the mark is true
    assert all(r.relevant for r in results[5:])  # what the cap moved below the top is relevant
    assert results[0].to_dict()["relevant"] is True


def test_a_link_pasted_with_a_question_is_not_read(service: CoverageService):

    assert without_tags("apa kata putin soal taiwan? https://t.co/abc www.x.id/a?b=1") == "apa kata putin soal taiwan?"
    plain, linked = service.ask("Apa sikap Putin soal Taiwan?"), service.ask("Apa sikap Putin soal Taiwan? https://t.co/abc")
    assert linked.answered and linked.results[0].paragraph == plain.results[0].paragraph
    assert linked.question.endswith("https://t.co/abc")  # echoed as typed
    with pytest.raises(EmptyQuestion, match="no words"):  # a link alone is no question
        service.ask("https://t.co/abc")


def test_names_are_what_a_question_is_about():
    from embeddings.text import names

    assert names("Apa hasil pertemuan Trump dan Putin di Alaska pada 2025?") == [
        ("trump",), ("putin",), ("alaska",), ("2025",)]
    assert names("Hubungan Moskow-Beijing?") == [("moskow", "beijing")]
    assert names("Gaza diserang lagi") == []  # the first word may be capitalized anyway
    assert names("Apa sikap Putin soal Taiwan? (3)") == [("putin",), ("taiwan",)]  # a lone digit says nothing
    assert names("Antara Arab Saudi, Iran (Teheran) dan Korea Utara") == [
        ("arab", "saudi"), ("iran",), ("teheran",), ("korea", "utara")]


def test_a_capitalized_first_word_is_kept_apart_for_the_outlet_check():
    from embeddings.text import capitalized_first_word

    assert capitalized_first_word("QNews menulis apa?") == ["qnews"]
    assert capitalized_first_word("“Ntvnews.id” menulis apa?") == ["ntvnews", "id"]
    assert capitalized_first_word("apa kata gate?") == [] and capitalized_first_word("") == []


def test_an_ordinary_word_in_a_name_the_coverage_knows_does_not_block_an_answer(service: CoverageService):
    # The coverage says "Saudi-Iran", never "Arab": "Arab" (a dictionary word) in "Arab Saudi" is
    # part of a known name. "Korea Utara" is not known by either word, and abstains (above).
    answer = service.ask("Kapan China menjadi penengah détente antara Arab Saudi dan Iran?")
    assert answer.answered and "détente bersejarah antara Saudi-Iran pada tahun 2023" in answer.results[0].paragraph


def test_html_tags_are_not_read_as_words_but_the_question_is_echoed_as_typed(service: CoverageService):
    assert without_tags('Apa <a href="x">sikap</a> <B>Putin</B>?') == "Apa sikap Putin ?"
    assert without_tags("x<y and y>z, 3 < 5 > 2") == "x<y and y>z, 3 < 5 > 2"  # not tags
    answer = service.ask("<b>Putin</b> soal Taiwan?")
    assert answer.answered and answer.question == "<b>Putin</b> soal Taiwan?"


def test_invisible_characters_are_dropped_from_a_question():
    assert normalize_question("\ufeffPu\u00adtin\u200bXi \u202esoal\x00Taiwan?") == ("Putin Xi soal Taiwan?", False)
    # a zero-width space inside a word is a line-break hint copied from a web page, not a word break
    assert normalize_question("Apa sikap Pu\u200btin soal\u200bTaiwan?") == ("Apa sikap Putin soal Taiwan?", False)
    assert normalize_question("PU\u200bTIN") == ("PUTIN", False)


@pytest.mark.parametrize("tail", [
    'Dia bertanya: "Siapa yang menang?"', "Apa sikap Putin soal Taiwan? 🤔", "Apa sikap Putin soal Taiwan? https://t.co/a",
    "Apa sikap Putin soal Taiwan?</b>", "What did the U.S. say about Taiwan?", "Apa kata Dr. Subianto soal Taiwan?",
    "Apakah inflasi 3.5 persen benar?",
])
def test_the_cut_keeps_the_whole_question_a_long_text_ends_with(tail: str):
    context = "Saya sedang menulis artikel tentang hubungan Rusia dan China untuk koran kami minggu depan. " * 30
    text, cut = normalize_question(context + tail)
    assert cut and len(text) == MAX_QUESTION_CHARS and text.endswith(" […] " + tail)
    text, cut = normalize_question(context + tail + " Terima kasih banyak.")  # it does not end with one
    assert cut and text == (context + tail)[:MAX_QUESTION_CHARS]


def test_only_the_questions_a_long_text_ends_with_are_read_alone():

    asked = CONTEXT + "Apa sikap Putin soal Taiwan? Dan apa kata Xi tentang Taiwan?"
    assert question_focus(asked) == "Apa sikap Putin soal Taiwan? Dan apa kata Xi tentang Taiwan?"
    for whole in [
        'Putin pernah berkata, "Mengapa Barat takut pada kerja sama ekonomi kami? Kami tidak mengancam siapa '
        'pun," dalam konferensi pers. ' + CONTEXT + "Tolong jelaskan sikap China terhadap serangan Israel di Iran.",
        "Mengapa hubungan Rusia dan China penting? " + CONTEXT + "Tolong kutip kata Xi tentang dunia multipolar.",
        CONTEXT + 'Xi bertanya, "Mengapa China harus tunduk pada Washington?"',
    ]:
        assert question_focus(whole) == whole  # a request at the end, or a question in quoted speech


def test_what_asks_for_a_number_and_what_states_one():
    from embeddings.text import asks_for_quantity, states_quantity

    assert asks_for_quantity("Berapa korban tewas?") and asks_for_quantity("How many troops?")
    assert asks_for_quantity("Tahun berapa SCO didirikan?") and asks_for_quantity("HOW MUCH gas?")
    assert not asks_for_quantity("Beberapa negara mendukung siapa?")  # "several"
    assert not asks_for_quantity("Seberapa penting Iran bagi China?")  # "how important"
    assert not asks_for_quantity("What did Putin say about Taiwan?")
    for text in ("pada tahun 2001", "menewaskan ribuan orang", "mengirim ratusan tentara", "hampir setahun",
                 "tahun keempat", "dua meja bundar", "thousands of people", "12-point plan"):
        assert states_quantity(text), text
    for text in ("kedua negara sepakat", "salah satu pusat", "beberapa hari setelah", "the first meeting"):
        assert not states_quantity(text), text


@pytest.mark.parametrize(("question", "article"), [
    ("Berapa banyak orang yang tewas akibat perang di Ukraina?", "002"),  # "ribuan"
    ("How many Chinese troops joined the military exercise in Russia's far east?", "003"),  # "ratusan"
    ("Berapa lama perang Rusia-Ukraina sudah berlangsung menurut QNews?", "001"),  # "tahun keempat"
    ("Tahun berapa China memediasi détente Saudi-Iran?", "000"),  # "2023"
])
def test_a_question_asking_for_a_number_is_answered_by_a_paragraph_stating_it(service: CoverageService,
                                                                                question: str, article: str):
    answer = service.ask(question)
    assert answer.answered and answer.results[0].article_id.startswith(article)


@pytest.mark.parametrize("question", [
    "Berapa nilai perdagangan bilateral Rusia-China tahun lalu?",
    "How much gas does Russia sell to China per year?",
    "Berapa nilai investasi China di Rusia?",
    "How many nuclear warheads does Russia have?",
])
def test_a_question_asking_for_a_number_the_coverage_does_not_give_abstains(service: CoverageService,
                                                                             question: str):
    """Each was answered with the nearest paragraph, which states no number at all."""
    assert not service.ask(question).answered


def test_initials_with_dots_end_no_sentence():
    text = "It was the first time. U.S. President Donald Trump accused them. Dr. Li agreed. J. Smith left."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "It was the first time.", "U.S. President Donald Trump accused them.", "Dr. Li agreed.", "J. Smith left."]


MEDIATE, TAIWAN, MEDIASI = "who offered to mediate?", "apa sikap Putin soal Taiwan?", "siapa yang menawarkan mediasi?"
TROOPS = "how many troops did China send to the military exercises?"


@pytest.mark.parametrize(("typed", "bare"), [
    ("Who offered to mediate? Thanks", MEDIATE),
    ("Quick question, who offered to mediate?", MEDIATE),
    ("For my story: who offered to mediate?", MEDIATE),
    ("Hi! who offered to mediate?", MEDIATE),
    ("Apa sikap Putin soal Taiwan? Terima kasih", TAIWAN),
    ("Tolong carikan: apa sikap Putin soal Taiwan", TAIWAN),
    ("Saya ingin tahu, siapa yang menawarkan mediasi?", MEDIASI),
    ("Halo, siapa yang menawarkan mediasi? Makasih ya", MEDIASI),
    ("Mohon info, siapa yang menawarkan mediasi?", MEDIASI),
    ("Bisa bantu? how many troops did China send to the military exercises?", TROOPS),
    ("Good morning! who offered to mediate? Thanks in advance", MEDIATE),
    ("Permisi, siapa yang menawarkan mediasi? Makasih sebelumnya", MEDIASI),
    ("Q: Who offered to mediate?", MEDIATE),
    ("1. Siapa yang menawarkan mediasi?", MEDIASI),
    ('"Siapa yang menawarkan mediasi?"', MEDIASI),  # a first word after punctuation is no name
])
def test_greetings_and_thanks_around_a_question_are_not_searched(service: CoverageService, typed: str, bare: str):
    """They have no counterpart in the coverage: read as words of the question, they pulled 44 of 96
    such questions below the abstention threshold. The answer echoes the question as typed."""
    plain, polite = service.ask(bare[0].upper() + bare[1:]), service.ask(typed)
    assert polite.answered and polite.question == typed
    assert polite.results[0].paragraph == plain.results[0].paragraph


def test_courtesy_alone_or_inside_a_question_stays():
    from embeddings.question import without_courtesy
    assert without_courtesy("Terima kasih!") == "Terima kasih!"  # nothing else to read
    assert without_courtesy("Apakah Putin setuju, ya?") == "Apakah Putin setuju, ya?"  # a question's own "ya?"
    assert without_courtesy("Apakah Rusia bilang ya") == "Apakah Rusia bilang ya"  # "yes", not a particle
    for kept in ("Pak-Russia relations?", "Min Aung Hlaing said what?", "Bu Xiaolin said what?", "Hi-tech exports?",
                 "Pak Prabowo bilang apa soal Rusia?"):  # an honorific without its comma is part of a name
        assert without_courtesy(kept) == kept
    assert without_courtesy("Siapa yang menawarkan mediasi? Makasih ya 🙏") == "Siapa yang menawarkan mediasi?"
    assert without_courtesy("Pak, apa kata Xi soal Taiwan?") == "apa kata Xi soal Taiwan?"
    assert without_courtesy("Minyak dan gas: berapa nilai kontraknya?") == "Minyak dan gas: berapa nilai kontraknya?"


@pytest.mark.parametrize("typed", ["Terima kasih", "terima kasih banyak", "Makasih ya 🙏", "Halo", "Thank you",
                                   "Selamat pagi!"])
def test_a_greeting_or_thanks_alone_is_not_answered(service: CoverageService, typed: str):
    """The audit's journalist thanked the bot and got "… sebagai ucapan terima kasih kepada Xi …" and
    seven more extracts: a message that asks nothing is not answered from the coverage."""
    answer = service.ask(typed)
    assert (answer.answered, answer.results, answer.question) == (False, [], typed)


def test_a_polite_off_topic_question_still_abstains(service: CoverageService):
    assert not service.ask("Halo, bagaimana resep rendang yang empuk? Terima kasih").answered
    assert not service.ask("Quick question: who won the Champions League? Thanks!").answered


def test_context_a_question_and_thanks_read_the_question(service: CoverageService):
    """Thanks after a long text's question: the question sentence is still what is read."""
    context = ("I am writing a feature about how Russia and China describe their partnership and I have been reading "
               "a lot of coverage from different outlets over the last few weeks, comparing what each of them "
               "emphasised and which officials they quoted at length in their reports. ")
    plain = service.ask(context + "Who offered to mediate?")
    thanked = service.ask(context + "Who offered to mediate? Thanks")
    assert plain.answered and thanked.answered
    assert thanked.results[0].paragraph == plain.results[0].paragraph


@pytest.mark.parametrize("typed", ["Gate, siapa yang menawarkan mediasi?", "Gate: siapa yang menawarkan mediasi?",
                                   "Halo Gate, siapa yang menawarkan mediasi?"])
def test_an_outlet_named_before_a_comma_is_answered_as_with_the_outlet_filter(service: CoverageService, typed: str):
    """Its name leaves ", siapa …" behind: the first word after that comma is no unknown name."""
    named, filtered = service.ask(typed), service.ask("Siapa yang menawarkan mediasi?", outlet="Gate")
    assert named.answered and named.outlets_named == ("Gate",)
    assert named.results[0].paragraph == filtered.results[0].paragraph


def test_an_outlet_whose_name_is_an_ordinary_word_is_named_when_written_as_it_writes_it(
        warm_service: CoverageService):
    """ANTARA (the national news agency; "antara" is "between", a stop word) was never read as named:
    "Apa kata ANTARA soal …?" searched every outlet. Written in capitals as the outlet writes itself, it
    names it; the ordinary word, in any case a question types it, does not."""
    shutil.copy(DATA / "new_sites" / "904_antara.txt", warm_service.settings.seeds_dir)
    warm_service.reindex()
    named = warm_service.ask("Apa kata ANTARA soal pipa gas Power of Siberia 2?")
    assert named.answered and named.outlets_named == ("ANTARA",)
    assert {r.article_id for r in named.results} == {"904_antara"}
    assert not warm_service.ask("Apa kata ANTARA soal Lavrov?").answered  # ANTARA's page does not say
    for ordinary in ("Apa hubungan antara Rusia dan China?", "APA HUBUNGAN ANTARA RUSIA DAN CHINA?",
                     "Hubungan Antara Rusia Dan China?"):
        answer = warm_service.ask(ordinary)
        assert answer.answered and answer.outlets_named == (), ordinary
