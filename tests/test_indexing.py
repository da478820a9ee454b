"""Indexing for real: incremental by content hash, atomic generations, bad seeds, failures."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import embeddings.seeds as seeds
from bot.cli import cli
from embeddings import embedding_job, generations
from embeddings.errors import BuildStopped, IndexBuildError, NoCorpus
from embeddings.records import RepeatedParagraphs
from embeddings.service import CoverageService
from embeddings.store import CACHE_DB, INDEX_DB, open_db

REPO = Path(__file__).resolve().parent.parent
SEED_004 = "004_7072c18476457dd8.txt"


def test_first_build_then_no_change_reindex_embeds_nothing(fresh_service: CoverageService):
    first = fresh_service.reindex()
    assert (first.articles, first.paragraphs, first.reused, first.removed) == (5, 73, 0, 0)
    assert first.embedded > first.paragraphs  # paragraphs, their token vectors and sentences
    assert first.skipped_files == []
    assert first.duplicates == 14  # 000's second copy (9 paragraphs, 4 headings), 001's repeated title
    again = fresh_service.reindex()
    assert again.embedded == 0
    assert again.reused == first.embedded
    assert (again.added, again.removed, again.paragraphs) == (0, 0, 73)
    assert again.generation != first.generation


def test_index_version_changes_with_the_coverage_not_with_a_rebuild(fresh_service: CoverageService,
                                                                     seeds_copy: Path):
    fresh_service.reindex()
    first = fresh_service.ask("Putin").index_version
    fresh_service.reindex(rebuild=True)
    assert fresh_service.ask("Putin").index_version == first  # same coverage: pages stay comparable
    (seeds_copy / SEED_004).unlink()
    fresh_service.reindex()
    assert fresh_service.ask("Putin").index_version != first


def test_rebuild_re_embeds_everything(fresh_service: CoverageService):
    first = fresh_service.reindex()
    rebuilt = fresh_service.reindex(rebuild=True)
    assert rebuilt.embedded == first.embedded and rebuilt.reused == 0


def test_a_failed_rebuild_keeps_the_cache(fresh_service: CoverageService, monkeypatch):
    fresh_service.reindex()

    def crash(*args, **kwargs):
        raise MemoryError("killed half-way through embedding")

    with monkeypatch.context() as patch:  # token vectors are embedded last: the others are done by then
        patch.setattr(fresh_service.embedder, "passage_tokens", crash)
        with pytest.raises(IndexBuildError, match="half-way"):
            fresh_service.reindex(rebuild=True)
    assert fresh_service.reindex().embedded == 0  # every vector is still cached


@pytest.mark.parametrize("damage", ["paragraphs.faiss", "tokens.npy", INDEX_DB, "tokens.npy rows", "search pages",
                                    "search rows"])
def test_a_damaged_generation_is_rebuilt_on_the_next_question(fresh_service: CoverageService, damage: str):
    fresh_service.reindex()
    data_dir = fresh_service.settings.data_dir
    damaged = generations.current_generation(data_dir)
    if damage == "tokens.npy rows":  # loads fine, but no longer fits the paragraphs it belongs to
        np.save(damaged / "tokens.npy", np.zeros((10, 384), dtype=np.float16))
    elif damage == "search rows":  # the full-text index's rows garbled, its pages sound: quick_check says "ok"
        with contextlib.closing(sqlite3.connect(damaged / INDEX_DB)) as db, db:
            db.execute("update paragraphs_fts_data set block = randomblob(length(block)) where id > 10")
            assert db.execute("pragma quick_check").fetchone()[0] == "ok"
    elif damage == "search pages":  # the full-text index's pages only: the tables it opens with read fine
        with contextlib.closing(sqlite3.connect(damaged / INDEX_DB)) as db:
            pages = [row[0] for row in db.execute("select pageno from dbstat where name = 'paragraphs_fts_data'")]
            page_size = db.execute("pragma page_size").fetchone()[0]
        data = bytearray((damaged / INDEX_DB).read_bytes())
        for page in pages:
            data[(page - 1) * page_size + 8 : page * page_size - 96] = b"Z" * (page_size - 104)
        (damaged / INDEX_DB).write_bytes(bytes(data))
    else:
        (damaged / damage).write_bytes(b"not what it was")
    restarted = CoverageService(fresh_service.settings, fresh_service.embedder)  # e.g. the bot restarts
    answer = restarted.ask("Siapa yang menawarkan diri menjadi mediator?")
    assert answer.answered and "mediator" in answer.results[0].paragraph
    assert generations.current_generation(data_dir) != damaged


def test_changed_and_deleted_seeds(fresh_service: CoverageService, seeds_copy: Path):
    first = fresh_service.reindex()
    new_line = ("Menteri luar negeri kedua negara sepakat bertemu lagi di Jakarta pada bulan depan untuk membahas "
                "kerja sama.")
    path = seeds_copy / "001_4e346f3bddcb4942.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Konteks Diplomasi Internasional", new_line + "\n\nKonteks Diplomasi Internasional"),
                    encoding="utf-8")
    changed = fresh_service.reindex()
    assert changed.added == 1 and changed.removed == 0
    assert 0 < changed.embedded < first.embedded / 10  # only the new paragraph's texts
    (seeds_copy / SEED_004).unlink()
    deleted = fresh_service.reindex()
    assert deleted.articles == 4 and deleted.articles_removed == 1
    assert deleted.removed == 9  # the NTVNews article's paragraphs
    assert "004_7072c18476457dd8" not in {a.article_id for a in fresh_service.sources()}
    answer = fresh_service.ask("sahabat baja Xi Putin dominasi Amerika Serikat")
    assert all(r.article_id != "004_7072c18476457dd8" for r in answer.results)


def test_broken_seed_files_are_reported_by_name_and_skipped(fresh_service: CoverageService, seeds_copy: Path):
    (seeds_copy / "900_latin1.txt").write_bytes("Berita dengan \xe9 ejaan Latin-1".encode("latin-1"))
    (seeds_copy / "901_empty.txt").write_text("   \n\n", encoding="utf-8")
    (seeds_copy / "902_chrome.txt").write_text("Load More\nx|close\n", encoding="utf-8")
    report = fresh_service.reindex()
    skipped = {s.file: s.reason for s in report.skipped_files}
    assert skipped.keys() == {"900_latin1.txt", "901_empty.txt", "902_chrome.txt"}
    assert "UTF-8" in skipped["900_latin1.txt"] and "empty" in skipped["901_empty.txt"]
    assert report.articles == 5 and report.paragraphs == 73


def test_a_seed_that_makes_cleaning_fail_is_skipped_and_loses_no_other_text(
        fresh_service: CoverageService, seeds_copy: Path, monkeypatch):
    """An unexpected error on one odd file (a bug met in cleaning or metadata) skips that file only.
    Its paragraphs are not indexed, so their copies in later files still are. (Curated, so that it is
    read before 001: an uncurated file would be read after it and lose the copied lead to it.)"""
    lead = next(line for line in (seeds_copy / "001_4e346f3bddcb4942.txt").read_text(encoding="utf-8").splitlines()
                if line.startswith("Presiden Rusia Vladimir Putin melakukan panggilan video"))
    (seeds_copy / "000_a_bad.txt").write_text(f"Judul Berita Yang Rusak\n{lead}\n", encoding="utf-8")
    with (seeds_copy / "sources.toml").open("a", encoding="utf-8") as sidecar:
        sidecar.write('\n[000_a_bad]\nnote = "an odd page"\n')
    real = seeds.article_metadata

    def fails_on_bad(article_id, *args):
        if article_id == "000_a_bad":
            raise KeyError("bug")
        return real(article_id, *args)

    monkeypatch.setattr(seeds, "article_metadata", fails_on_bad)
    report = fresh_service.reindex()
    assert [(s.file, s.reason) for s in report.skipped_files] == [
        ("000_a_bad.txt", "could not be processed (KeyError: 'bug')")]
    assert report.articles == 5 and report.paragraphs == 73
    answer = fresh_service.ask("Kapan Putin melakukan panggilan video dengan Xi?")
    assert any(r.article_id == "001_4e346f3bddcb4942" and r.paragraph == lead for r in answer.results)


def test_missing_or_empty_corpus_is_a_clear_error(fresh_service: CoverageService, seeds_copy: Path):
    for path in seeds_copy.iterdir():
        path.unlink()
    with pytest.raises(NoCorpus, match="no indexable article") as nothing:
        fresh_service.reindex()
    assert "skipped" not in str(nothing.value)
    (seeds_copy / "a.txt").write_bytes(b"Berita \xe9")
    (seeds_copy / "b.txt").write_text("", encoding="utf-8")
    with pytest.raises(NoCorpus, match=r"\(skipped a.txt: not valid UTF-8 \(line 1, column 8: byte 0xe9\); "
                                        r"b.txt: empty file\)"):
        fresh_service.reindex()  # each file's reason is said, not only logged
    shutil.rmtree(seeds_copy)
    with pytest.raises(NoCorpus, match="seeds directory not found"):
        fresh_service.reindex()
    seeds_copy.write_text("SEEDS_DIR pointed at a file", encoding="utf-8")
    with pytest.raises(NoCorpus, match="seeds directory is not a directory"):
        fresh_service.reindex()


def test_a_missing_seeds_directory_is_said_before_the_model_loads(fresh_service: CoverageService, seeds_copy: Path):
    """From the wrong folder, the first ``ask`` built the 466 MB model into ./data before saying so."""
    shutil.rmtree(seeds_copy)
    service = CoverageService(fresh_service.settings)  # no model given: it would load on first use
    with pytest.raises(NoCorpus, match="seeds directory not found"):
        service.ask("Who offered to mediate?")
    assert service._embedder is None and not fresh_service.settings.data_dir.exists()


def test_a_build_cleans_up_after_crashed_ones_and_keeps_the_generation_served_before(
        warm_service: CoverageService, monkeypatch: pytest.MonkeyPatch):
    """A build killed after naming its folder left a complete generation no ``CURRENT`` ever named,
    and (newest by name) it outlived the generation served before; a disk full while writing the
    pointer left that generation and the pointer's temporary file for good; ``CURRENT`` overwritten
    with bytes that are not UTF-8 was a traceback on every command, ``index`` included."""
    data_dir = warm_service.settings.data_dir
    served = warm_service.reindex() and generations.current_generation(data_dir)
    root = data_dir / generations.GENERATIONS
    orphan = root / "29991231T000000.000000000-dead00"  # newer than any build by name
    shutil.copytree(served, orphan)
    (data_dir / ".CURRENT.29991231T000000.000000000-dead00").write_text("left by a crash\n", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", disk_full)
        with pytest.raises(IndexBuildError, match=r"No space left on device; [\d,.]+ MB free on the disk of DATA_DIR"):
            warm_service.reindex()
    assert generations.current_generation(data_dir) == served
    assert sorted(p.name for p in root.iterdir()) == sorted([served.name, orphan.name])  # the failed one is gone
    assert [p.name for p in data_dir.glob(".CURRENT.*")] == [".CURRENT.29991231T000000.000000000-dead00"]  # its own too
    newer = warm_service.reindex() and generations.current_generation(data_dir)
    assert sorted(p.name for p in root.iterdir()) == sorted([served.name, newer.name])
    assert not list(data_dir.glob(".CURRENT.*"))
    umask = os.umask(0)
    os.umask(umask)
    assert newer.stat().st_mode & 0o777 == 0o777 & ~umask  # not mkdtemp's 0700: another user's bot reads it
    (data_dir / generations.CURRENT).write_bytes(b"\xff\xfe\x00bad")
    answer = CoverageService(warm_service.settings, warm_service.embedder).ask("Who offered to mediate?")
    assert answer.answered and generations.current_generation(data_dir) not in (None, newer)


def test_failed_build_keeps_the_old_generation_serving(warm_service: CoverageService):
    """A real disk-full in the middle of writing a generation: a second build (nothing changed, so the
    embedding cache is only read, but a new generation is still written) runs as ``python -m bot index``
    under a file size limit below the size of the served generation's index.db, so the new index.db
    fails part-way through. The half-written build folder is removed, CURRENT still names the old
    generation, and the old one answers exactly as before (here and in a restarted service)."""
    warm_service.reindex()
    settings = warm_service.settings
    data_dir = settings.data_dir
    served = generations.current_generation(data_dir)
    question = "Siapa yang menawarkan diri menjadi mediator?"
    before = warm_service.ask(question)
    assert before.answered and "mediator" in before.results[0].paragraph
    limit_kib = (served / INDEX_DB).stat().st_size // 1024 // 2  # ``ulimit -f`` counts 1024-byte blocks
    assert limit_kib > 0
    env = {**os.environ, "SEEDS_DIR": str(settings.seeds_dir), "DATA_DIR": str(data_dir),
           "MODELS_DIR": str(settings.model_dir), "EMBEDDING_MODEL": settings.embedding_model}
    done = subprocess.run(
        ["bash", "-c", f"trap '' XFSZ; ulimit -f {limit_kib}; exec {shlex.quote(sys.executable)} -m bot -v index"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    # -v logs the traceback: the write that failed was the new generation's, not the cache's
    assert "in write_generation" in done.stderr, done.stderr
    assert done.stderr.splitlines()[-1].startswith("Error: index build failed (")
    assert (data_dir / generations.CURRENT).read_text(encoding="utf-8").strip() == served.name
    assert generations.current_generation(data_dir) == served
    assert [p.name for p in (data_dir / generations.GENERATIONS).iterdir()] == [served.name]  # no leftover
    assert warm_service.ask(question).to_dict() == before.to_dict()
    restarted = CoverageService(settings, warm_service.embedder)  # e.g. the bot restarts after the failure
    assert restarted.ask(question).to_dict() == before.to_dict()


@pytest.mark.parametrize("damage", ["not a database", "pages after the schema"])
def test_a_damaged_embedding_cache_is_set_aside_and_the_build_goes_on(fresh_service: CoverageService,
                                                                       caplog: pytest.LogCaptureFixture, damage: str):
    """The cache only saves model calls: one SQLite cannot read, whether at once (junk) or only when the
    build reads its vectors (a sound header and schema, junk after them), is moved aside (replacing an
    older one), named in a warning, and the build embeds everything again into a fresh cache."""
    first = fresh_service.reindex()
    data_dir = fresh_service.settings.data_dir
    cache = (data_dir / CACHE_DB).read_bytes()
    junk = os.urandom(8192) if damage == "not a database" else cache[:4096] + os.urandom(len(cache) - 4096)
    (data_dir / CACHE_DB).write_bytes(junk)
    aside = data_dir / (CACHE_DB + embedding_job.DAMAGED_SUFFIX)
    aside.write_bytes(b"a cache damaged long ago")
    steps: list[tuple[int, int]] = []
    with caplog.at_level(logging.WARNING, logger="embeddings"):
        report = fresh_service.reindex(progress=lambda done, total: steps.append((done, total)))
    assert (report.embedded, report.reused) == (first.embedded, 0)
    assert steps and steps[-1][0] == steps[-1][1] and [d for d, _ in steps] == sorted(d for d, _ in steps)
    assert aside.read_bytes() == junk
    assert any(str(data_dir / CACHE_DB) in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert not list((data_dir / generations.GENERATIONS).glob(".building-*"))
    answer = fresh_service.ask("Siapa yang menawarkan diri menjadi mediator?")
    assert answer.answered and "mediator" in answer.results[0].paragraph
    assert fresh_service.reindex().embedded == 0  # the fresh cache kept what was embedded


def test_a_cache_that_cannot_be_opened_fails_the_build_and_the_old_index_keeps_serving(
        fresh_service: CoverageService):
    """Not a damaged file (here a folder where the cache should be): said in one line, nothing moved,
    no half-built generation left."""
    fresh_service.reindex()
    data_dir = fresh_service.settings.data_dir
    served = generations.current_generation(data_dir)
    (data_dir / CACHE_DB).unlink()
    (data_dir / CACHE_DB).mkdir()
    with pytest.raises(IndexBuildError, match="unable to open database file"):
        fresh_service.reindex()
    assert (data_dir / CACHE_DB).is_dir() and not (data_dir / (CACHE_DB + embedding_job.DAMAGED_SUFFIX)).exists()
    assert generations.current_generation(data_dir) == served
    assert not list((data_dir / generations.GENERATIONS).glob(".building-*"))
    assert fresh_service.ask("Siapa yang menawarkan diri menjadi mediator?").answered


def test_one_build_at_a_time(fresh_service: CoverageService):
    with generations.build_lock(fresh_service.settings.data_dir):
        assert fresh_service.build_running
        with pytest.raises(IndexBuildError, match="already running"):
            fresh_service.reindex()
        # Said before the model loads (an admin's `index` beside a bot's /reindex waited ~20 s for it):
        cold = CoverageService(fresh_service.settings)
        with pytest.raises(IndexBuildError, match="already running"):
            cold.reindex()
        assert cold._embedder is None
    assert not fresh_service.build_running


def test_a_build_asked_to_stop_stops_between_batches_and_keeps_what_it_embedded(fresh_service: CoverageService):
    """``stop`` set (the bot is shutting down): a first build (250 texts to embed) stops after its first
    batch of 32 instead of computing all of them, leaves no index and no build folder, and keeps that
    batch in the cache: the next build embeds only the rest. A build with nothing to embed has no batch
    to stop after, and completes."""
    data_dir = fresh_service.settings.data_dir
    stop = threading.Event()
    stop.set()
    calls: list[tuple[int, int]] = []
    with pytest.raises(BuildStopped, match=r"stopped after embedding 32 of 250 texts"):
        fresh_service.reindex(progress=lambda done, total: calls.append((done, total)), stop=stop)
    assert calls == []  # the progress of a stopped build is not reported past the stop
    assert generations.current_generation(data_dir) is None
    assert not list((data_dir / generations.GENERATIONS).glob(".building-*"))
    assert open_db(data_dir / CACHE_DB)["embeddings"].count == 32
    assert fresh_service.reindex().embedded == 250 - 32
    served = generations.current_generation(data_dir)
    assert fresh_service.reindex(stop=stop).embedded == 0 and generations.current_generation(data_dir) != served


def test_served_generation_is_complete_and_records_its_model(fresh_service: CoverageService):
    fresh_service.reindex()
    folder = generations.current_generation(fresh_service.settings.data_dir)
    assert {p.name for p in folder.iterdir()} >= {INDEX_DB, generations.PARAGRAPHS_FAISS, generations.SENTENCES_FAISS,
                                                   generations.TOKENS_NPY}
    db = open_db(folder / INDEX_DB)
    meta = {r["key"]: r["value"] for r in db["meta"].rows}
    assert meta["model"] == fresh_service.settings.embedding_model and meta["dim"] == "384"
    assert db["paragraphs_fts"].exists()


def test_index_built_with_another_model_is_rebuilt_not_mixed(fresh_service: CoverageService, embedder):
    fresh_service.reindex()
    folder = generations.current_generation(fresh_service.settings.data_dir)
    db = open_db(folder / INDEX_DB)
    with db.conn:
        db["meta"].upsert({"key": "model", "value": "some-other-model"}, pk="key")
    db.conn.close()
    reopened = CoverageService(fresh_service.settings, embedder)
    assert reopened.stats().model == fresh_service.settings.embedding_model
    assert generations.current_generation(fresh_service.settings.data_dir) != folder


def test_a_generation_built_by_another_process_is_served_on_the_next_question(
        fresh_service: CoverageService, seeds_copy: Path):
    """``coverage-bot index`` run beside a serving bot: the bot answers from the new index next time."""
    fresh_service.reindex()
    assert any(r.article_id == "004_7072c18476457dd8"
               for r in fresh_service.ask("sahabat baja Xi Putin dominasi Amerika Serikat").results)
    (seeds_copy / SEED_004).unlink()
    cli_process = CoverageService(fresh_service.settings, fresh_service.embedder)
    cli_process.reindex()
    answer = fresh_service.ask("sahabat baja Xi Putin dominasi Amerika Serikat")
    assert all(r.article_id != "004_7072c18476457dd8" for r in answer.results)
    assert "004_7072c18476457dd8" not in {a.article_id for a in fresh_service.sources()}
    assert fresh_service.stats().generation == generations.current_generation(fresh_service.settings.data_dir).name


def test_a_late_first_load_never_replaces_a_newer_generation(fresh_service: CoverageService):
    """A first load that read ``CURRENT`` just before a re-index switched it must not undo the switch."""
    from embeddings.retrieval import Retriever

    fresh_service.reindex()
    older = generations.current_generation(fresh_service.settings.data_dir)
    fresh_service.reindex()
    newer = generations.current_generation(fresh_service.settings.data_dir)
    assert older != newer and older.is_dir()  # the one before is kept
    served = fresh_service._serve(Retriever(older, fresh_service.embedder.query))
    assert served.folder == newer and fresh_service.stats().generation == newer.name

    (fresh_service.settings.data_dir / generations.CURRENT).write_text(older.name, encoding="utf-8")
    assert fresh_service.stats().generation == older.name  # a rollback by hand is followed


@pytest.mark.parametrize("pointer", ["", "\n", "..", "../outside", ".building-x"])
def test_an_emptied_or_edited_current_pointer_means_no_index(fresh_service: CoverageService, pointer: str):
    data_dir = fresh_service.settings.data_dir
    fresh_service.reindex()
    (data_dir / generations.CURRENT).write_text(pointer, encoding="utf-8")
    assert generations.current_generation(data_dir) is None
    restarted = CoverageService(fresh_service.settings, fresh_service.embedder)
    assert restarted.ask("Siapa yang menawarkan diri menjadi mediator?").answered  # rebuilt
    # Nothing was created where the pointer led ("generations/index.db", "outside/index.db", …):
    # every database is in a complete generation.
    complete = {g for g in (data_dir / generations.GENERATIONS).iterdir() if not g.name.startswith(".")}
    assert {db.parent for db in data_dir.rglob(INDEX_DB)} <= complete
    assert generations.current_generation(data_dir) is not None


def test_a_generation_missing_its_database_is_rebuilt_without_creating_one(fresh_service: CoverageService):
    fresh_service.reindex()
    damaged = generations.current_generation(fresh_service.settings.data_dir)
    (damaged / INDEX_DB).unlink()
    restarted = CoverageService(fresh_service.settings, fresh_service.embedder)
    assert restarted.ask("Siapa yang menawarkan diri menjadi mediator?").answered
    assert not (damaged / INDEX_DB).exists()  # read-only: opening it did not create an empty one


def test_undated_articles_are_left_out_by_date_filters(fresh_service: CoverageService, seeds_copy: Path):
    """A date filter cannot vouch for an article whose date is unknown (a README choice)."""
    (seeds_copy / "900_undated.txt").write_text("\n".join([
        "Rusia dan China Resmikan Jalur Kereta Kutub",
        "Pemerintah Rusia dan China meresmikan jalur kereta kutub yang menghubungkan dua pelabuhan di pesisir "
        "utara, sebuah langkah yang oleh para pejabat kedua negara disebut sebagai tanda bahwa kerja sama mereka "
        "kini juga menjangkau wilayah kutub yang selama ini jarang mendapat perhatian dunia.",
    ]) + "\n", encoding="utf-8")
    fresh_service.reindex()
    undated = next(a for a in fresh_service.sources() if a.article_id == "900_undated")
    assert undated.date is None
    question = "jalur kereta kutub Rusia China"
    assert fresh_service.ask(question).results[0].article_id == "900_undated"
    for filters in ({"since": date(2000, 1, 1)}, {"until": date(2100, 1, 1)}):
        assert "900_undated" not in {a.article_id for a in fresh_service.sources(**filters)}
        assert all(r.article_id != "900_undated" for r in fresh_service.ask(question, **filters).results)


def test_an_english_article_is_indexed_and_answers_with_its_outlet_and_date(
    fresh_service: CoverageService, seeds_copy: Path
):
    """New coverage need not be Indonesian: jusText reads a page with its own language's stop list,
    and the dateline and the header's English date give the outlet and the date."""
    shutil.copy(Path(__file__).parent / "data" / "english_wire_story.txt", seeds_copy / "900_reuters.txt")
    report = fresh_service.reindex()
    assert report.skipped_files == []
    article = next(a for a in fresh_service.sources() if a.article_id == "900_reuters")
    assert (article.outlet, article.date, article.date_basis, article.paragraph_count) == (
        "Reuters", "2023-03-21", "published", 3)
    answer = fresh_service.ask("Did Beijing deny plans to arm Russia?")
    top = answer.results[0]
    assert answer.answered and top.article_id == "900_reuters" and top.outlet == "Reuters"
    assert top.extract == ("The United States has said China is considering sending arms to Russia, "
                           "which Beijing denies.")
    assert all(r.extract.replace("…", "").strip() in r.paragraph for r in answer.results)
    assert not fresh_service.ask("Who won the football match in Moscow?").answered


def test_a_broken_sidecar_fails_the_build_and_the_old_index_keeps_serving(
        fresh_service: CoverageService, seeds_copy: Path):
    fresh_service.reindex()
    before = fresh_service.ask("Siapa yang menawarkan diri menjadi mediator?")
    (seeds_copy / "sources.toml").write_text("[000_4e0ddd56fe88a339\noutlet = ", encoding="utf-8")
    with pytest.raises(IndexBuildError, match="sources.toml"):
        fresh_service.reindex()
    assert fresh_service.ask("Siapa yang menawarkan diri menjadi mediator?").to_dict() == before.to_dict()


def test_a_sidecar_entry_that_matches_no_seed_file_is_reported(seeds_copy: Path):
    sidecar = seeds_copy / "sources.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("[000_4e0ddd56fe88a339]", "[000_4e0ddd56fe88a33]"),
                       encoding="utf-8")
    articles, skipped, _ = seeds.read_seeds(seeds_copy)
    assert len(articles) == 5
    assert [(s.file, s.reason) for s in skipped] == [
        ("sources.toml [000_4e0ddd56fe88a33]", "matches no seed file, so its facts were not used (a typo?)")]
    gate = next(a for a in articles if a.article_id.startswith("000"))
    assert gate.meta.outlet != "Gate"  # the curated facts are indeed not applied: hence the report


MIRROR = "0000_mirror.txt"  # sorts before every bundled seed
NTV = ("004_7072c18476457dd8", "NTVNews (ntvnews.id)", "2025-05-10")
MIRROR_OWN = ("Redaksi kami akan terus memantau perkembangan hubungan kedua negara tersebut dan menyajikan laporan "
              "lanjutan bagi para pembaca setia situs ini dalam beberapa hari mendatang.")


def _mirror_of_004(seeds_copy: Path, own: str | None) -> str:
    """004 as a spam site copies it: its own headline and time stamp, then 004's body (lede to last
    paragraph) without the "Ntvnews.id, Moskow -" dateline, and ``own`` (a paragraph of its own) if given."""
    lines = (seeds_copy / SEED_004).read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Ntvnews.id, Moskow -"))
    last = next(i for i, line in enumerate(lines) if line.startswith("Di sisi lain, Rusia"))
    body = [re.sub(r"^Ntvnews\.id, Moskow -\s*", "", line) for line in lines[first:last + 1]]
    return "\n".join(["Xi dan Putin Sepakat Jadi Sahabat Baja", "", "12 Mei 2025, 08:00", "", *body,
                      *(["", own] if own else [])]) + "\n"


def _paragraph_counts(service: CoverageService) -> dict[str, int]:
    return {a.article_id: a.paragraph_count for a in service.sources()}


@pytest.mark.parametrize("own", [MIRROR_OWN, None], ids=["with-own-paragraph", "copy-only"])
def test_a_mirror_named_to_sort_first_does_not_take_a_curated_articles_paragraphs(
        warm_service: CoverageService, service: CoverageService, seeds_copy: Path,
        caplog: pytest.LogCaptureFixture, own: str | None):
    """The curated article keeps its paragraphs and their citation; the mirror keeps only its own text
    (its copy of the lede without the dateline is no text of its own), or is skipped naming 004."""
    (seeds_copy / MIRROR).write_text(_mirror_of_004(seeds_copy, own), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="embeddings"):
        report = warm_service.reindex()
    counts = _paragraph_counts(warm_service)
    assert counts[NTV[0]] == _paragraph_counts(service)[NTV[0]] == 9  # as without the mirror
    if own:
        assert report.skipped_files == [] and counts["0000_mirror"] == 1
        with contextlib.closing(open_db(generations.current_generation(warm_service.settings.data_dir) / INDEX_DB,
                                        readonly=True)) as db:
            assert [r["text"] for r in db["paragraphs"].rows_where("article_id = ?", ["0000_mirror"])] == [own]
        assert f"seed {MIRROR}: 9 paragraph(s) repeat {SEED_004} and are indexed there only" in caplog.messages
        assert report.repeated_paragraphs == [RepeatedParagraphs(MIRROR, {SEED_004: 9}, 1)]
    else:
        assert [(s.file, s.reason) for s in report.skipped_files] == [
            (MIRROR, f"every paragraph repeats {SEED_004} (kept there)")]
        assert report.repeated_paragraphs == []  # skipped, so said once, as skipped
    top = warm_service.ask("sahabat baja Xi Putin dominasi Amerika Serikat").results[0]
    assert "sahabat baja" in top.paragraph and (top.article_id, top.outlet, top.date) == NTV
    ukraine = warm_service.ask("Apa kata NTVNews soal Ukraina?")
    assert ukraine.answered and all((r.article_id, r.outlet, r.date) == NTV for r in ukraine.results)


def test_an_updated_copy_of_an_article_keeps_the_outlet_date_and_title_its_page_states(
        warm_service: CoverageService, seeds_copy: Path):
    """004 saved again with a paragraph added (an update): its paragraph is indexed, cited with what
    the page says of itself: "Ntvnews.id, Moskow -", "10 Mei 2025, 09:59", its headline. The audit
    found "outlet unknown, date unknown, title unknown": metadata was read after the lines 004 keeps
    were taken out, header and dateline with them."""
    (seeds_copy / MIRROR).write_text((seeds_copy / SEED_004).read_text(encoding="utf-8") + f"\n{MIRROR_OWN}\n",
                                     encoding="utf-8")
    report = warm_service.reindex()
    assert report.repeated_paragraphs == [RepeatedParagraphs(MIRROR, {SEED_004: 9}, 1)]
    mirror = next(a for a in warm_service.sources() if a.article_id == "0000_mirror")
    assert (mirror.outlet, mirror.date, mirror.date_basis, mirror.title, mirror.paragraph_count) == (
        "Ntvnews.id", "2025-05-10", "published", "Xi Jinping dan Putin Bersinergi Lawan Pengaruh AS", 1)


def test_an_exact_copy_of_a_curated_article_is_the_one_skipped_naming_it(
        warm_service: CoverageService, service: CoverageService, seeds_copy: Path):
    """Skipped files are listed by name, though curated files are read first (999_curated before the mirror)."""
    shutil.copy(seeds_copy / SEED_004, seeds_copy / MIRROR)
    (seeds_copy / "999_curated.txt").write_text("\n", encoding="utf-8")
    with (seeds_copy / "sources.toml").open("a", encoding="utf-8") as sidecar:
        sidecar.write('\n[999_curated]\noutlet = "Antara"\n')
    report = warm_service.reindex()
    assert [(s.file, s.reason) for s in report.skipped_files] == [
        (MIRROR, f"every paragraph repeats {SEED_004} (kept there)"), ("999_curated.txt", "empty file")]
    assert (report.articles, report.paragraphs) == (5, 73)
    assert _paragraph_counts(warm_service) == _paragraph_counts(service)


def test_of_two_uncurated_copies_the_first_by_name_keeps_the_paragraphs(
        warm_service: CoverageService, seeds_copy: Path):
    for name in ("901_reuters_copy.txt", "900_reuters.txt"):
        shutil.copy(Path(__file__).parent / "data" / "english_wire_story.txt", seeds_copy / name)
    report = warm_service.reindex()
    assert [(s.file, s.reason) for s in report.skipped_files] == [
        ("901_reuters_copy.txt", "every paragraph repeats 900_reuters.txt (kept there)")]
    assert _paragraph_counts(warm_service)["900_reuters"] == 3
    top = warm_service.ask("Did Beijing deny plans to arm Russia?").results[0]
    assert (top.article_id, top.outlet, top.date) == ("900_reuters", "Reuters", "2023-03-21")


def test_a_copy_that_puts_its_own_dateline_before_a_lede_is_a_repeat(
        warm_service: CoverageService, service: CoverageService, seeds_copy: Path):
    """A mirror writing "Aljazeera.com, Samarkand - " before 003's lede: cleaning compares whole
    paragraphs and kept it, so the same sentence was cited under two outlets."""
    seed_003 = "003_5f9adbd90754c8a2.txt"
    lede = next(r.paragraph for r in service.ask("Kapan Putin dan Xi bertemu tatap muka pertama?", k=10).results
                if r.article_id == seed_003[:-4] and r.paragraph.startswith("Presiden"))
    text = (seeds_copy / seed_003).read_text(encoding="utf-8")
    assert lede in text
    (seeds_copy / "005_aljazeera_copy.txt").write_text(text.replace(lede, "Aljazeera.com, Samarkand - " + lede, 1),
                                                       encoding="utf-8")
    report = warm_service.reindex()
    assert [(s.file, s.reason) for s in report.skipped_files] == [
        ("005_aljazeera_copy.txt", f"every paragraph repeats {seed_003} (kept there)")]
    assert _paragraph_counts(warm_service) == _paragraph_counts(service)


def _cli(service: CoverageService, *args: str):
    """The CLI over ``service``'s seeds and DATA_DIR (the model from ``MODELS_DIR``)."""
    settings = service.settings
    env = {"SEEDS_DIR": str(settings.seeds_dir), "DATA_DIR": str(settings.data_dir),
           "MODELS_DIR": str(settings.model_dir)}
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_index_says_which_file_lost_some_paragraphs_to_which(warm_service: CoverageService, seeds_copy: Path):
    """A mirror of part of 004 with a paragraph of its own is indexed with that paragraph only: the
    normal output says so (one line), not only the -v log; the bundled seeds have no such file (000
    repeats its own article inside itself, which loses nothing to another file)."""
    bundled = _cli(warm_service, "index")
    assert bundled.exit_code == 0 and "Partly indexed" not in bundled.output
    assert json.loads(_cli(warm_service, "index", "--json").stdout)["repeated_paragraphs"] == []
    (seeds_copy / MIRROR).write_text(_mirror_of_004(seeds_copy, MIRROR_OWN), encoding="utf-8")
    result = _cli(warm_service, "index")
    assert result.exit_code == 0 and "Indexed 6 articles: 74 paragraphs kept" in result.stdout
    notes = [line for line in result.stderr.splitlines() if line.startswith("Partly indexed")]
    assert notes == [f"Partly indexed {MIRROR}: 9 paragraphs repeat {SEED_004} (kept there); 1 of its own indexed"]
    report = json.loads(_cli(warm_service, "index", "--json").stdout)
    assert report["repeated_paragraphs"] == [{"file": MIRROR, "kept_by": {SEED_004: 9}, "indexed": 1}]
    assert {"articles", "paragraphs", "embedded", "reused", "removed", "added", "seconds",
            "skipped_files"} <= report.keys() and report["skipped_files"] == []


def test_clean_says_which_paragraphs_another_seed_file_keeps(warm_service: CoverageService, seeds_copy: Path,
                                                               tmp_path: Path):
    """``clean`` reads one file, but one in the seeds directory is compared with the others as ``index``
    compares them: each kept paragraph 004 keeps instead is marked, and summed up without --explain."""
    (seeds_copy / MIRROR).write_text(_mirror_of_004(seeds_copy, MIRROR_OWN), encoding="utf-8")
    summary = f"# Partly indexed: 9 paragraphs repeat {SEED_004} (kept there); 1 of its own indexed"
    plain = _cli(warm_service, "clean", str(seeds_copy / MIRROR))
    assert plain.exit_code == 0 and plain.stdout.splitlines()[-1] == summary
    assert MIRROR_OWN in plain.stdout  # what cleaning keeps is still shown
    explained = _cli(warm_service, "clean", "--explain", str(seeds_copy / MIRROR)).stdout.splitlines()
    marks = [i for i, line in enumerate(explained) if line.strip().startswith("REPEAT")]
    assert len(marks) == 9 and all(explained[i].strip() == f"REPEAT (kept by {SEED_004})" for i in marks)
    assert all(re.match(r" *\d+  KEEP  paragraph ", explained[i - 1]) for i in marks)  # under the row it marks
    own_row = next(i for i, line in enumerate(explained) if line.endswith(MIRROR_OWN))
    assert "REPEAT" not in explained[own_row + 1] and explained[-1] == summary
    for seed in ("004_7072c18476457dd8.txt", "000_4e0ddd56fe88a339.txt"):  # the keeper; a file repeating itself
        kept = _cli(warm_service, "clean", "--explain", str(seeds_copy / seed))
        assert kept.exit_code == 0 and "REPEAT" not in kept.output and "Partly indexed" not in kept.output
    outside = tmp_path / MIRROR  # the same file outside the seeds directory: not compared
    shutil.copy(seeds_copy / MIRROR, outside)
    alone = _cli(warm_service, "clean", "--explain", str(outside))
    assert alone.exit_code == 0 and "REPEAT" not in alone.stdout and "not compared" in alone.stderr
    (seeds_copy / MIRROR).write_text(_mirror_of_004(seeds_copy, None), encoding="utf-8")  # nothing of its own
    copy = _cli(warm_service, "clean", str(seeds_copy / MIRROR))
    assert copy.exit_code == 1 and f"every paragraph repeats {SEED_004} (kept there)" in copy.stderr


def test_a_build_on_first_use_warns_of_the_files_it_skipped(warm_service: CoverageService,
                                                            caplog: pytest.LogCaptureFixture):
    """The bot builds its index at start-up (and when a question finds it stale) with no report to
    show: a file it skipped, or a typo in sources.toml, is a warning on the console, where the
    audit found neither. A build asked for (``index``, ``/reindex``) reports them instead."""
    seeds_dir = warm_service.settings.seeds_dir
    (seeds_dir / "997_kosong.txt").write_text("\n", encoding="utf-8")
    with (seeds_dir / "sources.toml").open("a", encoding="utf-8") as sidecar:
        sidecar.write('\n[999_salah_ketik]\noutlet = "Kompas"\n')
    with caplog.at_level(logging.WARNING, logger="embeddings"):
        warm_service.retriever()
        assert [r.getMessage() for r in caplog.records if r.name == "embeddings.service"] == [
            "index built on first use: skipped 997_kosong.txt: empty file",
            "index built on first use: skipped sources.toml [999_salah_ketik]: matches no seed file, so its facts "
            "were not used (a typo?)",
        ]
        caplog.clear()
        report = warm_service.reindex()
    assert [s.file for s in report.skipped_files] == ["997_kosong.txt", "sources.toml [999_salah_ketik]"]
    assert [r for r in caplog.records if r.name == "embeddings.service"] == []
