"""``coverage-bot chat`` run for real (click's runner feeding its prompt): help, "more", filters."""

from __future__ import annotations

import re

from click.testing import CliRunner

from bot.cli import cli
from embeddings.config import Settings
from embeddings.service import CoverageService


def chat(settings: Settings, lines: list[str], *options: str):
    env = {"SEEDS_DIR": str(settings.seeds_dir), "DATA_DIR": str(settings.data_dir),
           "MODELS_DIR": str(settings.model_dir)}
    return CliRunner().invoke(cli, ["chat", *options], env=env, input="".join(f"{line}\n" for line in lines),
                              catch_exceptions=False)


def replies(output: str) -> list[str]:
    """What chat printed after each prompt ("? "), in order (the greeting before the first left out)."""
    return [part.strip() for part in output.split("\n? ")[1:]]


def test_help_prints_usage_instead_of_asking_it(built_settings: Settings):
    result = chat(built_settings, ["help", "/help", "?", "HELP", "exit"])
    assert result.exit_code == 0
    texts = replies(result.output)[:4]
    assert len(set(texts)) == 1
    assert "more (or lagi)" in texts[0] and "exit, quit, keluar, :q, an empty line or Ctrl-D" in texts[0]
    assert "help, bantuan or ?" in texts[0]
    assert "does not answer" not in result.output and "tidak menjawab" not in result.output
    assert 'Type "help" for help' in result.output


def test_bantuan_is_help_in_indonesian_and_keluar_quits(built_settings: Settings):
    """The audit: "bantuan" (help) was searched and answered with a "bantuan militer" extract, and the
    welcome line was English only. "bantuan" alone is the Indonesian "help" (as "help" alone is
    never searched); aid is searched when the question says more ("bantuan militer"). "keluar" quits
    like "exit": the question after it is never asked."""
    result = chat(built_settings, ["bantuan", "BANTUAN", "/bantuan", "lagi", "keluar", "Apa sikap Putin soal Taiwan?"])
    assert result.exit_code == 0
    greeting = result.output.split("\n? ")[0]
    assert 'Ketik "bantuan" untuk bantuan; baris kosong, "keluar" atau Ctrl-D untuk keluar.' in greeting
    assert len(greeting.splitlines()) == 2  # short: one line per language
    texts = replies(result.output)
    assert len(texts) == 5 and texts[-1] == ""  # four replies, then "keluar" ends the session
    assert texts[0] == texts[1] == texts[2] and "«" not in result.output
    assert texts[0].startswith("Ketik pertanyaan tentang liputan")
    assert "bantuan, help atau ?" in texts[0] and "keluar, exit, quit, :q, baris kosong atau Ctrl-D" in texts[0]
    assert texts[3] == 'Ajukan pertanyaan dulu: "lagi" lalu menampilkan kutipan berikutnya.'
    searched = chat(built_settings, ["bantuan militer", "exit"], "-k", "1")
    assert replies(searched.output)[0].startswith("1. «")  # answered, not the help
    filtered = chat(built_settings, ["bantuan", "exit"], "--outlet", "qnews")
    assert 'Filter sesi ini: media "qnews".' in replies(filtered.output)[0]


def test_more_and_lagi_show_the_next_extracts_of_the_last_question(built_settings: Settings,
                                                                    service: CoverageService):
    question = "Who offered to mediate?"
    total = len(service.ask(question, 50).results)
    assert total >= 5
    result = chat(built_settings, ["more", question, "more", "lagi", *["more"] * total, "exit"], "-k", "2")
    assert result.exit_code == 0
    texts = replies(result.output)
    assert texts[0] == 'Ask a question first: "more" then shows its next extracts.'
    for page, offset in ((1, 0), (2, 2), (3, 4)):
        expected = service.ask(question, 2, offset=offset).results
        assert [int(n) for n in re.findall(r"^(\d+)\. «", texts[page], re.M)] == [r.rank for r in expected]
        assert all(f"«{r.extract}»" in texts[page] for r in expected)
    assert texts[1].endswith(f'{total - 2} more extracts available: type "more" to see them.')
    assert "-k" not in result.output
    assert texts[-2] == "There are no more extracts for this question."  # the last reply before exit


def test_the_more_hint_in_indonesian_says_lagi(built_settings: Settings):
    result = chat(built_settings, ["Siapa yang menawarkan mediasi?", "exit"], "-k", "1")
    assert re.search(r'Masih ada \d+ kutipan lain: ketik "lagi" untuk melihatnya\.', result.output)


def test_the_filters_apply_to_every_question(built_settings: Settings):
    result = chat(built_settings, ["hubungan Rusia dan China", "Apa sikap Putin soal Taiwan?", "exit"],
                  "--outlet", "qnews", "-k", "5")
    assert result.exit_code == 0 and 'Filters of this session: outlet "qnews".' in result.output
    first, second = replies(result.output)[:2]
    citations = re.findall(r"^   — ([^·]+) ·", first, re.M)
    assert citations and set(citations) == {"QNews"}
    assert second.startswith('Liputan yang tersisa setelah filter ini (media "qnews") tidak menjawab')
    # the filters cannot be changed inside a session: not "ask again without them"
    assert "mulai chat lagi tanpa filter" in second and "Tanyakan lagi tanpa filter" not in second
    dated = chat(built_settings, ["Apa sikap Putin soal Taiwan?", "exit"], "--since", "2025-01-01")
    assert "(sejak 2025-01-01) tidak menjawab" in dated.output


def test_filters_that_leave_no_article_stop_the_session_before_it_starts(built_settings: Settings):
    result = chat(built_settings, ["Putin", "exit"], "--outlet", "Kompas")
    assert result.exit_code == 1 and result.stdout == ""
    assert 'No article in the coverage matches these filters (outlet "Kompas")' in result.stderr
    assert "Outlets in the coverage: Gate, IVOOX.id" in result.stderr


def test_a_question_naming_an_outlet_the_session_leaves_out_says_so_first(built_settings: Settings,
                                                                           service: CoverageService):
    """``chat --outlet QNews`` then "Apa kata Gate …?": the session's filter still wins (as ``--outlet``
    does in ``ask``), but the reply first says the question names Gate, that what follows is QNews's,
    and how to search Gate; a question naming the session's own outlet gets no such line."""
    gate_question = "What did Gate say about relations between Russia and China?"
    result = chat(built_settings, ["Apa kata Gate soal Taiwan?", gate_question, "more", "Apa kata QNews soal Iran?",
                                   "exit"], "--outlet", "QNews", "-k", "1")
    assert result.exit_code == 0
    taiwan, relations, more, own = replies(result.output)[:4]
    assert taiwan.splitlines()[0] == (
        'Pertanyaan ini menyebut Gate, tetapi sesi ini dibatasi pada media "QNews", yang tidak mencakup Gate: yang '
        "berikut berasal dari liputan itu, bukan dari Gate. Mulai chat lagi tanpa --outlet untuk mencari di Gate.")
    assert 'Liputan yang tersisa setelah filter ini (media "QNews") tidak menjawab' in taiwan
    lines = relations.splitlines()
    assert lines[0] == (
        'The question names Gate, but this session is limited to outlet "QNews", which leaves Gate out: what '
        "follows is from that coverage, not from Gate. Start chat again without --outlet to search Gate.")
    expected = service.ask(gate_question, 1, outlet="QNews")
    assert expected.outlets_named_filtered_out == ("Gate",) and expected.answered
    assert lines[2] == f"1. «{expected.results[0].extract}»" and lines[3].startswith("   — QNews ·")
    assert "names Gate" not in more and "«" in more  # said once, with the question's first extracts
    assert "menyebut" not in own and "names" not in own
