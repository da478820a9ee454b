"""What the seeds directory holds, read for real: which entries are seed files, which are reported as not
read, which are ignored (hidden files); names in either Unicode form; files too large to be articles;
what ``index`` says of a rename."""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import bot.clean
import embeddings.seeds as seeds
from bot.cli import cli
from embeddings.errors import IndexBuildError, NoCorpus
from embeddings.service import CoverageService
from tests.test_cli import run

DATA = Path(__file__).parent / "data"
WIRE = DATA / "english_wire_story.txt"  # a Reuters story none of the bundled seeds repeats
BUNDLED = ["000_4e0ddd56fe88a339", "001_4e346f3bddcb4942", "002_b3f9beaf9b0610d6", "003_5f9adbd90754c8a2",
           "004_7072c18476457dd8"]


def _curate(seeds_dir: Path, entry: str) -> None:
    with (seeds_dir / "sources.toml").open("a", encoding="utf-8") as sidecar:
        sidecar.write(f"\n{entry}\n")


def test_index_reads_any_txt_case_reports_what_it_does_not_read_and_ignores_hidden_files(
        warm_service: CoverageService, seeds_copy: Path):
    """``*.TXT`` is a seed (and its sidecar entry applies); a subfolder and an ``.html`` page are named
    with why they are not read; hidden files (an editor's, the OS's, a hidden copy of a page) are not
    read and not reported. ``--json`` says what kind of entry each skipped one is."""
    shutil.copy(WIRE, seeds_copy / "905_cnbc.TXT")
    _curate(seeds_copy, '[905_cnbc]\noutlet = "CNBC Indonesia"\n\n[906_typo]\nnote = "no such file"')
    (seeds_copy / "2025-06").mkdir()
    shutil.copy(DATA / "new_sites" / "101_inews.txt", seeds_copy / "2025-06" / "101_inews.txt")
    shutil.copy(DATA / "new_sites" / "102_idntimes.txt", seeds_copy / "907_apnews.html")
    shutil.copy(DATA / "new_sites" / "107_guardian.txt", seeds_copy / ".916_bbc.txt")
    (seeds_copy / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (seeds_copy / "908_empty.txt").write_text("\n", encoding="utf-8")

    text = run(warm_service.settings, "index")
    assert text.exit_code == 0 and "Indexed 6 articles:" in text.stdout
    assert text.stderr.splitlines() == [
        "Skipped 2025-06/: a folder: seeds are read from the seeds directory itself, not its subfolders",
        "Skipped 907_apnews.html: not a .txt file: only *.txt files are read",
        "Skipped 908_empty.txt: empty file",
        "Skipped sources.toml [906_typo]: matches no seed file, so its facts were not used (a typo?)",
    ]
    report = json.loads(run(warm_service.settings, "index", "--json").stdout)
    assert [(s["file"], s["kind"]) for s in report["skipped_files"]] == [
        ("2025-06/", "ignored"), ("907_apnews.html", "ignored"), ("908_empty.txt", "seed"),
        ("sources.toml [906_typo]", "sidecar")]
    assert all(s["reason"] for s in report["skipped_files"])  # the keys of before are all still there
    listed = json.loads(run(warm_service.settings, "sources", "--json").stdout)
    assert [a["article_id"] for a in listed] == [*BUNDLED, "905_cnbc"]  # no ".916_bbc"
    assert (listed[-1]["source_file"], listed[-1]["outlet"]) == ("seeds/905_cnbc.TXT", "CNBC Indonesia")


def test_two_names_of_one_article_id_index_the_first_and_name_the_other(seeds_copy: Path):
    """``a.TXT`` and ``a.txt`` (or one name in both Unicode forms) would be one article id twice."""
    for name in ("905_cnbc.TXT", "905_cnbc.txt"):
        shutil.copy(WIRE, seeds_copy / name)
    articles, skipped, _ = seeds.read_seeds(seeds_copy)
    assert [a.article_id for a in articles] == [*BUNDLED, "905_cnbc"]
    assert [(s.file, s.reason, s.kind) for s in skipped] == [(
        "905_cnbc.txt", "same article id as 905_cnbc.TXT, which is read: names that differ only in the suffix's "
        "case or in Unicode form are one article (rename one)", "seed")]
    clean = CliRunner().invoke(cli, ["--seeds-dir", str(seeds_copy), "clean", str(seeds_copy / "905_cnbc.txt")])
    assert clean.exit_code == 1 and "same article id as 905_cnbc.TXT" in clean.stderr


def test_a_decomposed_file_name_matches_its_composed_sidecar_key(warm_service: CoverageService, seeds_copy: Path):
    """A name copied from macOS is decomposed (NFD); the key typed in ``sources.toml`` composed (NFC):
    one article, its curated facts applied, shown in one form (NFC) by ``sources`` and ``ask``."""
    composed = "905_reuters_café"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    shutil.copy(WIRE, seeds_copy / f"{decomposed}.txt")
    _curate(seeds_copy, f'["{composed}"]\noutlet = "Reuters (curated)"')
    report = warm_service.reindex()
    assert report.skipped_files == []  # not "matches no seed file … (a typo?)"
    article = next(a for a in warm_service.sources() if a.article_id.startswith("905"))
    assert (article.article_id, article.source_file, article.outlet) == (
        composed, f"seeds/{composed}.txt", "Reuters (curated)")
    top = warm_service.ask("Did Beijing deny plans to arm Russia?").results[0]
    assert (top.article_id, top.source_file, top.outlet) == (composed, f"seeds/{composed}.txt", "Reuters (curated)")


def test_a_seed_file_too_large_for_an_article_is_skipped_naming_its_size_and_the_limit(seeds_copy: Path):
    """A 1.5 MB prose file (2,730 paragraphs) is not an article: it is not cleaned or embedded (a 20 MB
    one held the build lock for hours), and ``index`` and ``clean`` say why."""
    paragraph = ("Presiden Rusia Vladimir Putin dan Presiden China Xi Jinping membahas kerja sama ekonomi, "
                 "energi dan keamanan kawasan dalam pertemuan yang berlangsung selama beberapa jam di Moskow. ")
    huge = seeds_copy / "905_huge.txt"
    huge.write_text("Judul Yang Sangat Panjang\n" + "".join(f"{n}. {paragraph * 3}\n" for n in range(2_730)),
                    encoding="utf-8")
    assert 1_450_000 < huge.stat().st_size < 1_550_000
    reason = "too large (1.5 MB; seed files over 1 MB are not read: a news article's text is far smaller)"
    articles, skipped, _ = seeds.read_seeds(seeds_copy)
    assert [(s.file, s.reason) for s in skipped] == [("905_huge.txt", reason)] and len(articles) == 5
    assert skipped[0].reason_in("id") == (  # the bot's Indonesian /reindex report: 1,5 MB, in Indonesian
        "terlalu besar (1,5 MB; berkas seeds di atas 1 MB tidak dibaca: teks sebuah artikel berita jauh lebih kecil)")
    clean = CliRunner().invoke(cli, ["clean", str(huge)])
    assert clean.exit_code == 1 and f"Error: {huge}: {reason}" in clean.stderr


def test_clean_says_index_does_not_read_a_hidden_or_non_txt_file(tmp_path: Path):
    """As for the other reasons ``index`` skips a file: the reason, exit 1. Upper case ``.TXT`` is read."""
    page = (DATA / "new_sites" / "101_inews.txt").read_bytes()
    for name, reason in ((".916_bbc.txt", 'a hidden file (its name starts with "."): index does not read hidden files'),
                         ("907_apnews.html", "not a .txt file: only *.txt files are read")):
        (tmp_path / name).write_bytes(page)
        result = CliRunner().invoke(cli, ["clean", str(tmp_path / name)])
        assert result.exit_code == 1 and f"Error: {tmp_path / name}: {reason}" in result.stderr
    (tmp_path / "905_cnbc.TXT").write_bytes(page)
    assert CliRunner().invoke(cli, ["clean", str(tmp_path / "905_cnbc.TXT")]).exit_code == 0


def test_index_text_says_a_renamed_file_is_an_article_added_and_one_removed(warm_service: CoverageService,
                                                                            seeds_copy: Path):
    """After ``mv 004_….txt 004_ntv_kremlin.txt`` no paragraph changed, but the article's id did: the
    text output says so, as ``--json``'s ``articles_added``/``articles_removed`` do."""
    assert run(warm_service.settings, "index").exit_code == 0
    (seeds_copy / f"{BUNDLED[4]}.txt").rename(seeds_copy / "004_ntv_kremlin.txt")
    result = run(warm_service.settings, "index")
    assert result.exit_code == 0
    assert "; 1 article added, 1 removed; 0 paragraphs added, 0 removed;" in result.stdout


def test_a_reason_is_said_in_indonesian_with_the_numbers_an_editor_shows(seeds_copy: Path):
    """Line 1234 of a file (not "1,234" or "1.234": an editor's line number), in either language."""
    (seeds_copy / "906_latin1.txt").write_bytes(b"Judul\n" * 1233 + "Putin é ".encode() + b"\xe9 Taiwan\n")
    (seeds_copy / "907_kosong.txt").write_text("\n", encoding="utf-8")
    _, skipped, _ = seeds.read_seeds(seeds_copy)
    assert [(s.file, s.code, s.reason, s.reason_in("id")) for s in skipped] == [
        ("906_latin1.txt", "not_utf8", "not valid UTF-8 (line 1234, column 9: byte 0xe9)",
         "bukan UTF-8 yang sah (baris 1234, kolom 9: bita 0xe9)"),
        ("907_kosong.txt", "empty", "empty file", "berkas kosong"),
    ]


def test_clean_says_why_when_cleaning_a_file_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A bug met on some odd page: ``index`` skips the file as "could not be processed (…)", and
    ``clean`` gave a traceback. It now says what ``index`` says, with exit code 1."""
    page = tmp_path / "905_odd.txt"
    page.write_text("Judul\nPutin dan Xi bertemu di Moskow untuk membahas kerja sama kedua negara.\n",
                    encoding="utf-8")

    def fails(*args: object) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(bot.clean, "clean_article", fails)
    for options in ([], ["--explain"]):
        result = CliRunner().invoke(cli, ["clean", str(page), *options])
        assert result.exit_code == 1, result.output
        assert result.stderr == f"Error: {page}: could not be processed (KeyError: 'bug')\n"


def test_clean_says_a_named_pipe_is_no_seed_file_instead_of_waiting_on_it(tmp_path: Path):
    """``index`` skips it ("not a regular file"); ``clean`` blocked reading it until killed."""
    pipe = tmp_path / "905_pipe.txt"
    os.mkfifo(pipe)
    result = CliRunner().invoke(cli, ["clean", str(pipe)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {pipe}: not a regular file (a broken link, a device or a pipe)\n"


def test_a_file_name_that_is_not_utf8_is_skipped_by_name_and_the_rest_indexed(seeds_copy: Path):
    """It failed the whole build ("surrogates not allowed") when its name was written to the index."""
    latin1 = os.fsencode(seeds_copy) + b"/caf\xe9"
    shutil.copy(seeds_copy / "001_4e346f3bddcb4942.txt", latin1 + b".txt")
    shutil.copy(seeds_copy / "001_4e346f3bddcb4942.txt", latin1 + b".jpg")
    articles, skipped, _ = seeds.read_seeds(seeds_copy)
    assert [(s.file, s.code, s.kind) for s in skipped] == [("caf\\xe9.jpg", "not_txt", "ignored"),
                                                           ("caf\\xe9.txt", "name_not_utf8", "seed")]
    assert "rename it" in skipped[1].reason and len(articles) == 5
    cleaned = CliRunner().invoke(cli, ["clean", os.fsdecode(latin1 + b".txt")])
    assert cleaned.exit_code == 1 and "its name holds bytes that are not UTF-8" in cleaned.stderr  # as index says


def test_seeds_that_cannot_be_read_are_one_clear_error(seeds_copy: Path, monkeypatch: pytest.MonkeyPatch):
    """A seeds folder without read permission (root reads any: its listing fails here as it would) and a
    sources.toml that is a broken link (its curated facts lost without a word) stop the build, naming them."""
    (seeds_copy / "sources.toml").rename(seeds_copy.parent / "moved.toml")
    (seeds_copy / "sources.toml").symlink_to(seeds_copy.parent / "gone.toml")
    with pytest.raises(IndexBuildError, match=r"sources.toml: not a regular file \(a broken link"):
        seeds.read_seeds(seeds_copy)
    (seeds_copy / "sources.toml").unlink()

    def refused(self: Path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refused)
    with pytest.raises(NoCorpus, match=f"cannot read the seeds directory {seeds_copy}: Permission denied"):
        seeds.read_seeds(seeds_copy)


def test_source_file_names_the_seeds_folder_as_given_not_a_link_target(seeds_copy: Path, tmp_path: Path):
    (tmp_path / "linked").symlink_to(seeds_copy)
    articles, _, _ = seeds.read_seeds(tmp_path / "linked")
    assert articles[0].source_file == "linked/000_4e0ddd56fe88a339.txt"
