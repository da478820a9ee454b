"""A question is read the same however it is cased or punctuated around its names."""

from __future__ import annotations

import pytest

from embeddings.casing import as_the_coverage_writes, case_forms, in_latin_letters
from embeddings.service import CoverageService


def test_case_forms_are_the_coverage_s_own_inside_sentences():
    forms = case_forms([
        "Presiden Vladimir Putin bertemu wartawan AFP. Dia bertemu. “Kami kuat,” kata Xi.",
        "  Taiwan adalah bagian dari China. Dalam hal itu, dalam banyak hal, mereka setuju.",
    ])
    assert forms["putin"] == "Putin" and forms["afp"] == "AFP" and forms["xi"] == "Xi"
    assert forms["china"] == "China"
    # Seen only at a sentence start, or in lower case: nothing to restore.
    assert "taiwan" not in forms and "dalam" not in forms and "presiden" not in forms and "bertemu" not in forms


FORMS = {"taiwan": "Taiwan", "lavrov": "Lavrov", "afp": "AFP", "putin": "Putin"}


@pytest.mark.parametrize(("typed", "read"), [
    ("taiwan", "Taiwan"),
    ("TAIWAN?", "Taiwan?"),
    ("apa kata lavrov soal taiwan?", "Apa kata Lavrov soal Taiwan?"),
    ("WHO OFFERED TO MEDIATE?", "Who offered to mediate?"),
    ("apa kata afp", "Apa kata AFP"),
    ("(Taiwan)", "( Taiwan)"),
    ('"Lavrov" said', '" Lavrov" said'),
    ("#Taiwan", "# Taiwan"),
    ("apa kata AS soal taiwan?", "Apa kata AS soal Taiwan?"),  # an acronym typed in capitals stays
    # Cased by the user: left as typed, even where the coverage writes it otherwise.
    ("What did the lavrov say, per Reuters?", "What did the lavrov say, per Reuters?"),
    ("Apa sikap Putin soal Taiwan?", "Apa sikap Putin soal Taiwan?"),
])
def test_an_uncased_question_is_cased_like_the_coverage(typed: str, read: str):
    assert as_the_coverage_writes(typed, FORMS) == read


def test_in_an_uncased_question_a_word_neither_known_nor_ordinary_is_written_as_a_name():
    known = {"putin", "kata", "soal", "korban", "tewas", "offered"}
    assert as_the_coverage_writes("apa kata putin soal gaza?", FORMS, known) == "Apa kata Putin soal Gaza?"
    assert as_the_coverage_writes("BERAPA KORBAN TEWAS DI GAZA?", FORMS, known) == "Berapa korban tewas di Gaza?"
    # Ordinary Indonesian words stay as they are, and an English question's words too.
    assert as_the_coverage_writes("bagaimana cara membuat nasi goreng", FORMS, known) == (
        "Bagaimana cara membuat nasi goreng")
    assert as_the_coverage_writes("who offered to mediate in gaza?", FORMS, known) == "Who offered to mediate in gaza?"
    # A word of Sastrawi's stop list is ordinary, though its dictionary spells it otherwise ("dahulu"),
    # and a question keeps it as a word ("dulu", "selalu" are not stop words: they say what it asks).
    assert as_the_coverage_writes("apakah putin dulu selalu akur?", FORMS, known) == "Apakah Putin dulu selalu akur?"


@pytest.mark.parametrize("typed", [
    "APA HASIL PERTEMUAN TRUMP DAN PUTIN DI ALASKA?", "apa hasil pertemuan trump dan putin di alaska?",
    "APA KATA ZELENSKYY SOAL CRIMEA?", "apa kata dewan keamanan pbb soal gaza?",
])
def test_typed_without_capitals_a_name_the_coverage_never_uses_still_abstains(service: CoverageService, typed: str):
    assert not service.ask(typed).answered


@pytest.mark.parametrize("typed", [
    "taiwan", "TAIWAN", "(Taiwan)", '"Taiwan"', "#Taiwan",
])
def test_a_name_typed_in_any_case_or_quoted_finds_the_same_answer(service: CoverageService, typed: str):
    expected = service.ask("Taiwan")
    answer = service.ask(typed)
    assert expected.answered and answer.answered
    assert answer.results[0].paragraph == expected.results[0].paragraph


@pytest.mark.parametrize("typed", ["who offered to mediate?", "WHO OFFERED TO MEDIATE?", "what did lavrov say"])
def test_an_uncased_question_is_answered_as_its_cased_form(service: CoverageService, typed: str):
    cased = service.ask(typed[0].upper() + typed[1:].lower().replace("lavrov", "Lavrov"))
    answer = service.ask(typed)
    assert cased.answered and answer.answered
    assert [r.paragraph for r in answer.results] == [r.paragraph for r in cased.results]


def test_a_name_in_another_script_is_read_as_the_coverage_spells_it():
    known = {"putin", "xi", "jinping", "wang", "yi", "lavrov", "taiwan"}
    forms = {**FORMS, "xi": "Xi", "jinping": "Jinping", "wang": "Wang", "yi": "Yi"}
    assert in_latin_letters("Apa sikap Путин soal Taiwan?", forms, known) == "Apa sikap Putin soal Taiwan?"
    # Chinese syllables ("Xi", "Jin", "Ping") joined into the coverage's words:
    assert in_latin_letters("习近平 dan 王毅", forms, known) == "Xi Jinping dan Wang Yi"
    assert in_latin_letters("Apa sikap Pútin?", forms, known) == "Apa sikap Putin?"  # accents typed
    # Left as typed: a word not every part of which is a word of the coverage, and the coverage's own.
    assert in_latin_letters("Что сказал Лавров о Тайване?", forms, known) == "Что сказал Lavrov о Тайване?"
    assert in_latin_letters("détente 中国", forms, known | {"détente"}) == "détente 中国"


@pytest.mark.parametrize("typed", ["Apa sikap Путин soal Taiwan?", "apa sikap путин soal taiwan?"])
def test_a_question_naming_someone_in_another_script_is_answered_as_in_latin_letters(service: CoverageService,
                                                                                     typed: str):
    latin = service.ask("Apa sikap Putin soal Taiwan?")
    answer = service.ask(typed)
    assert answer.answered and answer.results[0].paragraph == latin.results[0].paragraph


def test_extracts_are_chosen_with_the_question_as_read(service: CoverageService):
    """A name typed in another script is read in Latin letters for the extracts too: the sentence that
    names "Putin" is the one quoted from Wang Yi's paragraph, as for the question typed in Latin
    letters (it used to look for "путин" there and quote the sentence beside it)."""
    latin = service.ask("Siapa pejabat Kremlin yang membeberkan isi percakapan telepon Putin dan Xi?")
    typed = service.ask("Siapa pejabat Kremlin yang membeberkan isi percakapan telepon Путин dan Xi?")
    assert [r.paragraph for r in typed.results] == [r.paragraph for r in latin.results]
    assert [r.extract for r in typed.results] == [r.extract for r in latin.results]
    assert "Wang dan Putin saling berjabat tangan dan duduk berseberangan meja satu sama lain selama pertemuan " \
           "mereka pada hari Rabu.…" in [r.extract for r in typed.results]
