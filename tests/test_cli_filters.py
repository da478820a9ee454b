"""The filters of ``ask`` (``--outlet``, ``--since``, ``--until``), run for real through the CLI:
what a filter's refusal says, ``--outlet unknown``, filters that match nothing, bad dates, and the JSON key."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from bot.cli import cli
from embeddings.config import Settings
from embeddings.filters import article_passes
from embeddings.records import Article
from embeddings.service import CoverageService

OUTLETS_EN = "Outlets in the coverage: Gate, IVOOX.id, NTVNews (ntvnews.id), QNews, outlet unknown."
DATES_EN = "Dates in the coverage: 2022-09-15 – 2026-02-04."


def run(settings: Settings, *args: str, input: str | None = None):
    env = {"SEEDS_DIR": str(settings.seeds_dir), "DATA_DIR": str(settings.data_dir),
           "MODELS_DIR": str(settings.model_dir)}
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


def test_a_filters_refusal_names_the_filter_and_suggests_asking_without_it(built_settings: Settings):
    """Other outlets answer it: the refusal is the filtered coverage's, not the whole coverage's."""
    question = "What is Putin's position on Taiwan?"
    assert json.loads(run(built_settings, "ask", "--json", question).stdout)["answered"]
    english = run(built_settings, "ask", question, "--outlet", "ntv")
    assert english.exit_code == 0
    lines = english.output.splitlines()
    assert lines[0] == 'The coverage these filters leave (outlet "ntv") does not answer this question.'
    assert lines[1].startswith("It covers 1 article from NTVNews (ntvnews.id)")
    assert lines[-1] == "Ask again without the filters to search all the coverage."
    assert "The indexed coverage does not answer" not in english.output
    indonesian = run(built_settings, "ask", "Apa sikap Putin soal Taiwan?", "--outlet", "ntv", "--since", "2025-01-01")
    lines = indonesian.output.splitlines()
    assert lines[0] == ('Liputan yang tersisa setelah filter ini (media "ntv", sejak 2025-01-01) '
                        "tidak menjawab pertanyaan ini.")
    assert lines[-1] == "Tanyakan lagi tanpa filter untuk mencari di seluruh liputan."
    assert "Liputan yang diindeks" not in indonesian.output


def test_without_filters_the_refusal_is_the_whole_coverages(built_settings: Settings):
    result = run(built_settings, "ask", "How do I cook beef rendang?")
    assert result.output.startswith("The indexed coverage does not answer this question.")
    assert "without the filters" not in result.output
    assert result.output.splitlines()[1].startswith("It covers 5 articles from ") and "), including:" in result.output


def test_outlet_unknown_selects_the_articles_whose_outlet_is_unknown(built_settings: Settings,
                                                                     service: CoverageService):
    assert [a.article_id for a in service.sources(outlet="unknown")] == ["003_5f9adbd90754c8a2"]
    for value in ("unknown", "Tidak Diketahui", "outlet unknown", "media tidak diketahui"):
        result = run(built_settings, "ask", "--json", "Apa sikap Putin soal Taiwan?", "--outlet", value)
        answer = json.loads(result.stdout)
        assert answer["answered"] and "filtered_out" not in answer, value
        assert {r["outlet"] for r in answer["results"]} == {None}, value
    human = run(built_settings, "ask", "Apa sikap Putin soal Taiwan?", "--outlet", "unknown", "-k", "1")
    assert "— media tidak diketahui · 15 September 2022" in human.output


@pytest.mark.parametrize(("question", "abstains", "cites"), [
    ("Apa kata liputan soal pelabuhan Chabahar?", "Apa kata liputan soal resep rendang?",
     "Apa sikap Putin soal Taiwan?"),
    ("What does the coverage say about Chabahar port?", "How do I cook beef rendang?",
     "What is Putin's position on Taiwan?"),
], ids=["id", "en"])
def test_what_the_answers_call_an_unknown_outlet_is_one_phrase_that_outlet_takes(
        built_settings: Settings, question: str, abstains: str, cites: str):
    """The audit: one Indonesian session read "media tidak diketahui" (a citation), "… dan media yang tidak
    disebutkan" (a no-answer summary) and "…, tidak diketahui." (the outlets after a filter that left
    nothing), and `--outlet "media yang tidak disebutkan"` matched no article. Each place now prints
    the citation's phrase, and that phrase, copied as printed, is a filter that selects the article."""
    label = "media tidak diketahui" if question.startswith("Apa") else "outlet unknown"
    summary = run(built_settings, "ask", abstains).output
    listing = run(built_settings, "ask", cites, "--since", "2030-01-01").output
    cited = run(built_settings, "ask", cites, "--outlet", "unknown", "-k", "1").output
    assert re.search(rf"\b(dan|and) {label} \(", summary), summary
    assert listing.splitlines()[1].endswith(f", QNews, {label}."), listing
    assert f"— {label} · " in cited
    for output in (summary, listing, cited):
        assert "disebutkan" not in output and "unnamed" not in output
    for copied in (label, f"{label}."):  # copied from the list, with its final period
        answer = json.loads(run(built_settings, "ask", "--json", question, "--outlet", copied).stdout)
        assert "filtered_out" not in answer, copied
        assert {r["outlet"] for r in answer["results"]} <= {None}, copied
    refused = run(built_settings, "ask", question, "--outlet", label).output
    assert "Tidak ada artikel" not in refused and "No article" not in refused


def test_article_passes_unknown_outlet_only_for_articles_without_one():
    unknown = Article("003", "seeds/003.txt", None, "2022-09-15", "event", "T")
    blank = Article("005", "seeds/005.txt", "  ", None, None, "T")
    named = Article("004", "seeds/004.txt", "NTVNews (ntvnews.id)", "2025-05-10", "published", "T")
    assert article_passes(unknown, "unknown") and article_passes(blank, " tidak  diketahui ")
    assert not article_passes(named, "unknown") and not article_passes(named, "tidak diketahui")
    assert article_passes(named, "NTV") and not article_passes(unknown, "ntv") and not article_passes(blank, "ntv")
    for copied in ("media tidak diketahui.", '"outlet unknown"', "media yang tidak disebutkan", "an unnamed outlet"):
        assert article_passes(unknown, copied) and not article_passes(named, copied), copied


def test_filters_matching_no_article_repeat_them_and_list_outlets_and_dates(built_settings: Settings):
    english = run(built_settings, "ask", "Who offered to mediate?", "--outlet", "Kompas")
    assert english.exit_code == 0
    assert english.output.splitlines() == [
        'No article in the coverage matches these filters (outlet "Kompas").', OUTLETS_EN, DATES_EN]
    indonesian = run(built_settings, "ask", "Siapa yang menawarkan mediasi?", "--since", "2030-01-01")
    assert indonesian.output.splitlines() == [
        "Tidak ada artikel dalam liputan yang cocok dengan filter ini (sejak 2030-01-01).",
        "Media dalam liputan: Gate, IVOOX.id, NTVNews (ntvnews.id), QNews, media tidak diketahui.",
        "Tanggal dalam liputan: 2022-09-15 – 2026-02-04."]
    as_json = run(built_settings, "ask", "--json", "Who offered to mediate?", "--outlet", "kompas",
                  "--until", "2020-01-01")
    assert as_json.stderr.strip() == (
        'Note: No article in the coverage matches these filters (outlet "kompas", until 2020-01-01). '
        f"{OUTLETS_EN} {DATES_EN}")


def test_json_says_when_the_filters_left_no_article(built_settings: Settings):
    """``filtered_out`` tells "nothing to search" from "not answered" on stdout; other objects are unchanged."""
    nothing = json.loads(run(built_settings, "ask", "--json", "Who offered to mediate?",
                             "--since", "2030-01-01").stdout)
    assert nothing == {"question": "Who offered to mediate?", "answered": False, "results": [], "filtered_out": True}
    refused = json.loads(run(built_settings, "ask", "--json", "Apa sikap Putin soal Taiwan?", "--outlet", "ntv").stdout)
    assert refused == {"question": "Apa sikap Putin soal Taiwan?", "answered": False, "results": []}
    batch = run(built_settings, "ask", "--json", "--batch", "-", "--outlet", "kompas", input="Putin\nXi\n")
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [line.get("filtered_out") for line in lines] == [True, True]
    assert batch.stderr.count("No article in the coverage matches") == 1


@pytest.mark.parametrize("command", ["ask", "chat"])
def test_a_reversed_date_range_is_a_usage_error(built_settings: Settings, command: str):
    args = [command, "Putin"] if command == "ask" else [command]
    result = run(built_settings, *args, "--since", "2025-01-01", "--until", "2023-01-01", input="Putin\n")
    assert result.exit_code == 2
    assert "the dates are reversed: --since 2025-01-01 is after --until 2023-01-01" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["ask", "chat"])
def test_an_outlet_given_twice_is_a_usage_error(built_settings: Settings, command: str):
    """Not the last one quietly winning: a user comparing QNews and Gate would read Gate's answer as both's."""
    args = [command, "Apa sikap Putin soal Taiwan?"] if command == "ask" else [command]
    result = run(built_settings, *args, "--outlet", "qnews", "--outlet", "gate", input="Putin\n")
    assert result.exit_code == 2 and result.stdout == ""
    assert "given 2 times ('qnews', 'gate'): one outlet per question" in result.stderr


@pytest.mark.parametrize(("value", "message"), [
    ("2023-02-30", "2023-02-30 is not a valid date (YYYY-MM-DD)"),
    ("2023-13-01", "2023-13-01 is not a valid date (YYYY-MM-DD)"),
    ("2023/02/03", "'2023/02/03' is not a date: write it as YYYY-MM-DD"),
    ("yesterday", "'yesterday' is not a date: write it as YYYY-MM-DD"),
])
def test_a_bad_date_says_what_is_wrong_with_it(built_settings: Settings, value: str, message: str):
    for option in ("--since", "--until"):
        result = run(built_settings, "ask", "Putin", option, value)
        assert result.exit_code == 2 and message in result.stderr, result.stderr
        assert "does not match the format" not in result.stderr


def test_ask_says_when_the_question_names_an_outlet_the_outlet_filter_leaves_out(built_settings: Settings):
    """``--outlet QNews`` wins over "Gate" in the question, as documented, but not silently: the text
    says it first, ``--json`` adds ``outlets_named_filtered_out`` (and a note on stderr), a batch line too."""
    question = "Apa kata Gate soal Taiwan?"
    text = run(built_settings, "ask", question, "--outlet", "QNews")
    assert text.exit_code == 0
    assert text.output.splitlines()[0] == (
        'Pertanyaan ini menyebut Gate, tetapi --outlet "QNews" tidak mencakup Gate: yang berikut berasal dari '
        "liputan yang tersisa setelah filter itu, bukan dari Gate. Tanyakan lagi tanpa --outlet untuk mencari di Gate.")
    as_json = run(built_settings, "ask", "--json", question, "--outlet", "QNews")
    assert json.loads(as_json.stdout) == {"question": question, "answered": False, "results": [],
                                          "outlets_named_filtered_out": ["Gate"]}
    assert as_json.stderr.startswith('Note: The question names Gate, but --outlet "QNews" leaves Gate out')
    batch = run(built_settings, "ask", "--json", "--batch", "-", "--outlet", "QNews", input=f"{question}\nPutin\n")
    first, second = (json.loads(line) for line in batch.stdout.splitlines())
    assert first["outlets_named_filtered_out"] == ["Gate"] and "outlets_named_filtered_out" not in second
    assert "Note: line 1: The question names Gate" in batch.stderr and "line 2" not in batch.stderr
    for outlet in ("gate", " "):  # the filter keeps Gate, or is no filter: nothing left out
        same = run(built_settings, "ask", "--json", "Apa kata Gate soal Iran?", "--outlet", outlet)
        assert "outlets_named_filtered_out" not in json.loads(same.stdout) and same.stderr == ""
