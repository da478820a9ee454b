"""Which names of a question the coverage knows: its text, and what the index knows of each article."""

from __future__ import annotations

import pytest

from embeddings.records import Article
from embeddings.service import CoverageService
from embeddings.vocabulary import Vocabulary, article_words, outlet_naming_words


def _article(article_id: str = "a", outlet: str | None = "NTVNews (ntvnews.id)", day: str | None = "2025-05-10",
             title: str | None = "Xi dan Putin") -> Article:
    return Article(article_id=article_id, source_file=f"seeds/{article_id}.txt", outlet=outlet, date=day,
                   date_basis="published", title=title, paragraph_count=1)


def test_an_article_s_outlet_title_and_date_are_words_it_knows():
    found = article_words(_article())
    assert {"ntvnews", "id", "xi", "putin"} <= found
    assert {"10", "2025", "5", "05", "mei", "may", "sabtu", "saturday", "sab", "sat"} <= found
    assert article_words(_article(outlet=None, day=None, title=None)) == set()
    assert "2025" not in article_words(_article(day="not a date"))


def test_an_outlet_is_named_by_its_distinctive_words_or_by_all_of_them():
    assert outlet_naming_words("NTVNews (ntvnews.id)", {"ntvnews"}) == {"ntvnews"}
    assert outlet_naming_words("Gate", {"gate", "iran"}) == {"gate"}
    assert outlet_naming_words("CNN Indonesia", {"cnn"}) == {"cnn"}
    assert outlet_naming_words("CNN Indonesia", {"indonesia"}) == set()
    assert outlet_naming_words("Kompas News", {"kompas"}) == {"kompas"}
    assert outlet_naming_words("Kompas News", {"news"}) == set()
    assert outlet_naming_words("Media Indonesia", {"media", "indonesia"}) == {"media", "indonesia"}
    assert outlet_naming_words("Media Indonesia", {"presiden", "indonesia"}) == set()
    assert outlet_naming_words("IVOOX.id", {"id"}) == set() and outlet_naming_words(None, {"gate"}) == set()


def test_unknown_names_follow_the_filter_and_the_language():
    rows = [
        {"article_id": "a", "text": "Presiden Putin membahas Taiwan.", "stemmed": "presiden putin bahas taiwan",
         "section": None},
        {"article_id": "b", "text": "Détente bersejarah antara Saudi-Iran.", "stemmed": "detente sejarah saudi iran",
         "section": "Timur Tengah"},
    ]
    vocabulary = Vocabulary({"a": _article("a"), "b": _article("b", outlet="Gate", day=None, title=None)}, rows)
    assert vocabulary.unknown_names("Apa kata Gate soal Taiwan?", "id") == []
    assert vocabulary.unknown_names("Apa kata Gate soal Taiwan?", "id", {"b"}) == ["taiwan"]
    assert vocabulary.unknown_names("Apa peran Arab Saudi dan Korea Utara?", "id") == ["korea", "utara"]
    # A name of ordinary words only is not vouched for by one of them the coverage uses.
    assert vocabulary.unknown_names("Apa kata Presiden Indonesia?", "id") == ["indonesia"]
    assert vocabulary.unknown_names("Apa kata Bank Dunia soal Tengah?", "id") == ["bank", "dunia"]
    assert vocabulary.unknown_names("Berapa korban di Gaza pada 10 Mei 2025?", "id") == ["gaza"]
    # English spells names its own way: only a name the filter leaves out counts.
    assert vocabulary.unknown_names("What about Gaza?", "en") == []
    assert vocabulary.unknown_names("What did Putin say?", "en", {"b"}) == ["putin"]


@pytest.mark.parametrize("question", [
    "Apa kata Gate soal serangan Israel di Iran?",  # the outlet is named by the page's disclaimer only
    "Apa yang dikatakan QNews tentang multilateralisme?",  # "Site icon QNews" is site chrome
    "Apa yang terjadi di Kremlin pada 22 Februari 2023?",  # the date is the article's, not its text's
])
def test_naming_an_outlet_or_an_article_s_date_does_not_refuse_the_question(service: CoverageService,
                                                                              question: str):
    assert service.ask(question).answered


def test_a_question_naming_an_outlet_is_answered_from_that_outlet_or_abstains(service: CoverageService):
    for question in ("Apa kata Gate soal Iran?", "apa kata gate soal iran?", "Gate melaporkan apa soal Iran?"):
        answer = service.ask(question)
        assert answer.answered and {r.outlet for r in answer.results} == {"Gate"}, question
    # Gate's article never mentions Taiwan: other outlets' paragraphs are not what Gate said, and
    # the abstention says it is Gate's (IVOOX.id's article does cover Taiwan).
    gate = service.ask("Apa kata Gate soal Taiwan?")
    assert not gate.answered and gate.outlets_named == ("Gate",)
    assert service.ask("Apa sikap Putin soal Taiwan?").outlets_named == ()
    assert not service.ask("Apa kata QNews soal Taiwan?").answered
    assert not service.ask("QNews menulis apa tentang Taiwan?").answered  # named first, still named
    # The outlet's name says where to look, not what to find: it is not read as a word to match.
    answer = service.ask("Apa kata Gate dan QNews soal Iran?")
    assert answer.answered and {r.outlet for r in answer.results} <= {"Gate", "QNews"}
    # An explicit --outlet wins over the name in the question, and the name is still no word to
    # find: IVOOX.id's article covers Taiwan, Gate's does not.
    chosen = service.ask("Apa kata Gate soal Taiwan?", outlet="ivoox")
    assert chosen.answered and {r.outlet for r in chosen.results} == {"IVOOX.id"} and chosen.outlets_named == ()
    assert not service.ask("Apa kata Gate soal Taiwan?", outlet="gate").answered


def test_a_filter_to_the_outlet_that_answers_does_not_refuse(service: CoverageService):
    # Whether the question's words have counterparts is read over the whole coverage; the filter
    # decides which paragraphs may answer.
    unfiltered = service.ask("Who offered to mediate?")
    filtered = service.ask("Who offered to mediate?", outlet="gate")
    assert unfiltered.results[0].outlet == "Gate"
    assert filtered.answered and filtered.results[0].paragraph == unfiltered.results[0].paragraph
