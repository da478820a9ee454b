"""The embedding model's identity (what the cache is keyed by and an index records), and a model that
cannot be loaded failing at once.

Real components throughout: the rebuilt e5 model (copied when a test tampers with it), SQLite, FAISS.
The hub tests need no network: on our machines and in CI the Hugging Face hub is unreachable, and with
internet a misspelt id is refused by the hub just as fast.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import faiss
import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from embeddings import generations
from embeddings.config import DEFAULT_MODEL, Settings
from embeddings.embedder import Embedder
from embeddings.errors import ModelBuildError
from embeddings.identity import folder_fingerprint, is_hub_id, model_identity
from embeddings.indexer import passage_text
from embeddings.model import BUILD_NAME
from embeddings.service import CoverageService
from embeddings.store import INDEX_DB, open_db, read_meta

REPO = Path(__file__).resolve().parent.parent
SMALL_SEED = "001_4e346f3bddcb4942.txt"  # the shortest bundled article: a build embeds ~50 texts
MISSPELT_HUB_ID = "intfloat/multilingual-e5-smal"


def _copy_model(models_dir: Path, target: Path) -> Path:
    """A private copy of the default model folder (built by the ``embedder`` fixture) that a test may
    change: never the shared one."""
    shutil.copytree(models_dir / BUILD_NAME, target)
    return target


def _retrain_layer_11(folder: Path) -> None:
    """Replace the model's weights in place (same files, same sizes): layer 11's attention output
    reordered (cosine old/new on a passage about 0.83, as a fine-tune to the same folder might do)."""
    weights = load_file(str(folder / "model.safetensors"))
    name = "encoder.layer.11.attention.output.dense.weight"
    weights[name] = weights[name][::-1].copy()
    save_file(weights, str(folder / "model.safetensors"))


def test_the_default_model_keeps_its_plain_name_as_identity(embedder: Embedder):
    """Existing caches and indexes of the default stay valid: nothing is re-embedded for it."""
    assert model_identity(DEFAULT_MODEL) == DEFAULT_MODEL
    assert embedder.name == DEFAULT_MODEL and embedder.model_name == DEFAULT_MODEL


def test_a_folder_fingerprint_follows_its_files(embedder: Embedder, models_dir: Path, tmp_path: Path):
    folder = _copy_model(models_dir, tmp_path / "mymodel")
    before = model_identity(str(folder))
    assert before == f"{folder}#{folder_fingerprint(folder)}" and model_identity(str(folder)) == before
    (folder / ".git").mkdir()
    (folder / ".git" / "index").write_text("bookkeeping")  # hidden: not the model
    assert model_identity(str(folder)) == before
    _retrain_layer_11(folder)
    assert model_identity(str(folder)) != before


def test_a_model_folder_replaced_in_place_is_rebuilt_and_never_served_its_old_vectors(
        embedder: Embedder, models_dir: Path, tmp_path: Path):
    """The audit's repro: EMBEDDING_MODEL names a folder, its weights change in place. The next run
    rebuilds the index (not mixed) and embeds everything again (the cache holds the old model's
    vectors under the old identity)."""
    folder = _copy_model(models_dir, tmp_path / "mymodel")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy2(REPO / "seeds" / SMALL_SEED, seeds / SMALL_SEED)
    settings = Settings(seeds_dir=seeds, data_dir=tmp_path / "data", embedding_model=str(folder),
                        models_dir=models_dir)
    first = CoverageService(settings)
    report = first.reindex()
    assert report.embedded > 0 and report.reused == 0
    old_identity = first.embedder.name
    old_generation = generations.current_generation(settings.data_dir)

    _retrain_layer_11(folder)
    restarted = CoverageService(settings)  # the next run, with the same EMBEDDING_MODEL
    assert not restarted.index_ready(), "an index of the old weights would be served"
    again = restarted.reindex()
    assert again.embedded == report.embedded and again.reused == 0, "the old model's cached vectors were reused"
    new_identity = restarted.embedder.name
    assert new_identity != old_identity and new_identity.startswith(f"{folder}#")
    current = generations.current_generation(settings.data_dir)
    assert current != old_generation
    db = open_db(current / INDEX_DB, readonly=True)
    try:
        assert read_meta(db)["model"] == new_identity
        paragraph_id, title, section, text = db.execute(
            "select p.id, a.title, p.section, p.text from paragraphs p join articles a using (article_id)"
            " order by p.id limit 1").fetchone()
    finally:
        db.conn.close()
    # What the rebuilt index serves is the new weights' vector of that paragraph, not the old one's.
    served = faiss.read_index(str(current / generations.PARAGRAPHS_FAISS)).reconstruct(paragraph_id)
    passage = [passage_text(title, section, text)]
    assert float(served @ restarted.embedder.passages(passage)[0]) > 0.9999
    assert float(served @ first.embedder.passages(passage)[0]) < 0.95
    assert restarted.ask("Putin Xi").index_version  # answers from the rebuilt index


def _fake_hub_snapshot(cache: Path, repo_id: str, commit: str, source: Path) -> Path:
    """A hub id's snapshot in a Hugging Face cache, as a download leaves it (files linked, ``refs/main``)."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / commit
    for file in source.rglob("*"):
        if file.is_file():
            (snapshot / file.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (snapshot / file.relative_to(source)).symlink_to(file)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    return snapshot


def test_a_cached_hub_model_loads_without_the_hub_and_is_identified_by_its_commit(
        embedder: Embedder, models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture):
    """A hub id is its name and the commit of the snapshot loaded: not a fingerprint of the snapshot
    folder (blob mtimes are download times). Loaded from the local cache first, with no network."""
    cache = tmp_path / "hub"
    commit = "0123456789abcdef0123456789abcdef01234567"
    _fake_hub_snapshot(cache, "acme/e5-copy", commit, models_dir / BUILD_NAME)
    monkeypatch.setenv("SENTENCE_TRANSFORMERS_HOME", str(cache))
    caplog.set_level(logging.WARNING)
    assert model_identity("acme/e5-copy") == f"acme/e5-copy@{commit}"  # before loading (``sources``)
    hub_model = Embedder("acme/e5-copy", tmp_path / "no-models")
    assert hub_model.name == f"acme/e5-copy@{commit}" and hub_model.model_name == "acme/e5-copy"
    assert not [r for r in caplog.records if "huggingface_hub" in r.name], "the hub was asked"
    text = ["Presiden Rusia Vladimir Putin melakukan panggilan video dengan Presiden China Xi Jinping."]
    assert float(hub_model.passages(text)[0] @ embedder.passages(text)[0]) > 0.9999


def test_a_hub_id_that_cannot_be_had_fails_at_once_in_one_line(
        models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    """A misspelt hub id with an unreachable hub took 75-80 s of "Retrying in 8s" (three files, five
    retries each) before its error. Now: one request, one line."""
    monkeypatch.setenv("SENTENCE_TRANSFORMERS_HOME", str(tmp_path / "empty-hub-cache"))
    caplog.set_level(logging.INFO)
    started = time.monotonic()
    with pytest.raises(ModelBuildError) as raised:
        Embedder(MISSPELT_HUB_ID, models_dir)
    assert time.monotonic() - started < 20  # the one request's timeout is 10 s; here it fails in ms
    message = str(raised.value)
    assert MISSPELT_HUB_ID in message and "\n" not in message and "EMBEDDING_MODEL" in message
    assert not [r for r in caplog.records if "Retry" in r.getMessage()]


def test_a_hub_id_that_cannot_be_had_is_one_error_line_from_the_cli(tmp_path: Path):
    """The audit's command: ``EMBEDDING_MODEL=intfloat/multilingual-e5-smal coverage-bot ask …``."""
    env = {**os.environ, "EMBEDDING_MODEL": MISSPELT_HUB_ID,
           "SENTENCE_TRANSFORMERS_HOME": str(tmp_path / "empty-hub-cache")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--seeds-dir", str(REPO / "seeds"), "--data-dir", str(tmp_path / "data"),
         "ask", "Putin Taiwan"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: cannot load the embedding model")]
    assert len(errors) == 1 and MISSPELT_HUB_ID in errors[0], done.stderr
    assert not any("Retry" in line for line in lines), done.stderr
    assert len(lines) <= 2, done.stderr  # the first-run notice, then the error


def test_hub_warnings_are_printed_once(tmp_path: Path):
    """huggingface_hub's own stderr handler printed each warning ("Retrying in 8s [Retry 5/5]") a second
    time beside the CLI's log line. (A subprocess: pytest's capture hides the library's handler.)"""
    script = (
        "import logging\n"
        "logging.basicConfig(level=logging.WARNING, format='LOGGED %(name)s: %(message)s')\n"
        "from huggingface_hub.utils import logging as hub_logging\n"
        "from embeddings.embedder import _hub_warnings_logged_once\n"
        "_hub_warnings_logged_once()\n"
        "hub_logging.get_logger('huggingface_hub.utils._http').warning('Retrying in 1s [Retry 1/5].')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Retrying in 1s") == 1, done.stderr
    assert "LOGGED huggingface_hub.utils._http: Retrying in 1s" in done.stderr


def test_vectors_of_a_replaced_folder_never_come_from_the_cache(embedder: Embedder, models_dir: Path,
                                                                 tmp_path: Path):
    """The same text embedded by the replaced weights differs: a cache keyed by the path alone would
    have served the first vectors for the second model."""
    folder = _copy_model(models_dir, tmp_path / "mymodel")
    text = ["Kremlin menggembar-gemborkan KTT SCO di kota kuno Jalur Sutra Samarkand."]
    before = Embedder(str(folder), models_dir)
    _retrain_layer_11(folder)
    after = Embedder(str(folder), models_dir)
    assert before.name != after.name
    assert float(np.dot(before.passages(text)[0], after.passages(text)[0])) < 0.95


def test_a_path_that_does_not_exist_is_no_hub_id_and_keeps_its_name(tmp_path: Path):
    """A mistyped folder is neither a folder nor a hub id: its identity is its name (no index matches
    it), found without the hub's functions, which raise on a path (``sources`` reads it before loading)."""
    missing = str(tmp_path / "no-such-model")
    assert not is_hub_id(missing) and not is_hub_id("./e5")
    assert is_hub_id("intfloat/multilingual-e5-small") and is_hub_id("all-MiniLM-L6-v2")
    assert model_identity(missing) == missing
