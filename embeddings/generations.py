"""Index generations on disk: build aside, switch atomically, keep serving the old one on failure.

Layout under ``DATA_DIR``::

    generations/<name>/index.db, paragraphs.faiss,     complete generations (tokens.npy: the
                       sentences.faiss, tokens.npy      paragraphs' token vectors, row ranges in index.db)
    generations/.building-<name>/                       a build in progress
    CURRENT                                             name of the served generation
    build.lock                                          held while a build runs

``CURRENT`` is replaced with ``os.replace`` (atomic on POSIX) only after the new generation is
complete on disk, so a reader sees either the old generation or the new one, never a half-built one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from pathlib import Path

from .errors import BuildInProgress, UnusableDirectory
from .locks import exclusive_lock, in_the_way

CURRENT = "CURRENT"
GENERATIONS = "generations"
BUILD_LOCK = "build.lock"
#: A generation's files besides ``store.INDEX_DB`` (see the layout above).
PARAGRAPHS_FAISS = "paragraphs.faiss"
SENTENCES_FAISS = "sentences.faiss"
TOKENS_NPY = "tokens.npy"


def current_generation(data_dir: Path) -> Path | None:
    """The generation being served, or ``None`` if no index was ever built."""
    try:
        name = (data_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):  # none, or overwritten with bytes that name nothing
        return None
    except IsADirectoryError:
        raise UnusableDirectory("DATA_DIR", data_dir, in_the_way(CURRENT)) from None
    except OSError as error:  # DATA_DIR is a file, or unreadable
        raise UnusableDirectory("DATA_DIR", data_dir, error) from None
    if not name or name != Path(name).name or name.startswith("."):  # emptied or edited by hand
        return None
    path = data_dir / GENERATIONS / name
    return path if path.is_dir() else None


def build_lock(data_dir: Path) -> contextlib.AbstractContextManager[None]:
    """One build at a time per ``DATA_DIR`` (across processes too); raises if one is running."""
    return exclusive_lock(data_dir, BUILD_LOCK, "DATA_DIR", busy=build_in_progress())


def build_in_progress() -> BuildInProgress:
    """The error of a build refused because another one holds the build lock."""
    return BuildInProgress("a re-index is already running")


def build_running(data_dir: Path) -> bool:
    """Whether a build (of this process or another: an admin's ``coverage-bot index`` beside the bot)
    holds the build lock of ``data_dir`` now. A hint for saying so before any work; the build itself
    still takes the lock, so one that starts just after this returns is refused then."""
    try:
        with open(data_dir / BUILD_LOCK) as handle:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)  # released when the file closes
    except BlockingIOError:
        return True
    except OSError:  # no lock file (no build ever ran), or one that cannot be read: the build will say
        return False
    return False


def wait_for_build(data_dir: Path) -> None:
    """Block until no build holds the build lock of ``data_dir`` (returns at once when none does)."""
    lock = data_dir / BUILD_LOCK
    if not lock.exists():
        return
    with open(lock) as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        fcntl.flock(handle, fcntl.LOCK_UN)


def start_generation(data_dir: Path) -> Path:
    """A fresh, hidden directory to build the next generation in, with the umask's permissions (as
    ``CURRENT`` and the cache have: ``tempfile.mkdtemp``'s 0700 locked out a bot running as another
    user than the admin who built it)."""
    root = data_dir / GENERATIONS
    root.mkdir(parents=True, exist_ok=True)
    building = root / f".building-{uuid.uuid4().hex}"
    building.mkdir()
    return building


def commit_generation(data_dir: Path, building: Path) -> Path:
    """Move a complete build into place and point ``CURRENT`` at it (atomically)."""
    now = time.time_ns()  # names sort by build time, to the nanosecond (prune keeps the newest)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000_000))
    name = f"{stamp}.{now % 1_000_000_000:09d}-{uuid.uuid4().hex[:6]}"
    final = data_dir / GENERATIONS / name
    previous = current_generation(data_dir)
    os.replace(building, final)
    pointer = data_dir / f".{CURRENT}.{name}"
    try:
        with open(pointer, "w", encoding="utf-8") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())  # on disk before it replaces CURRENT: a crash leaves one or the other
        os.replace(pointer, data_dir / CURRENT)
    except BaseException:  # a full disk: nothing names the new generation, so it must not stay
        pointer.unlink(missing_ok=True)
        if current_generation(data_dir) != final:  # (a Ctrl-C just after the switch: it is served)
            shutil.rmtree(final, ignore_errors=True)
        raise
    prune(data_dir, keep={final, previous})
    return final


def abandon_generation(building: Path) -> None:
    """Remove a build folder that failed: ``CURRENT`` never named it, so nothing reads it."""
    shutil.rmtree(building, ignore_errors=True)


def prune(data_dir: Path, keep: set[Path | None]) -> None:
    """Delete every generation but those in ``keep`` (the one just served and the one it replaced: a
    reader may still hold that open), and the leftovers of crashed builds: a ``.building-*`` folder,
    a pointer never moved into place, a generation a build crashed after naming (``CURRENT`` never
    named it, and kept by age it would outlive the generation served before)."""
    root = data_dir / GENERATIONS
    for old in root.iterdir():
        if old.is_dir() and not old.name.startswith(".") and old not in keep:
            shutil.rmtree(old, ignore_errors=True)
    # Called under the build lock, after the new generation moved into place: any ``.building-*``
    # left is from a build that crashed, and so is any pointer file.
    for leftover in root.glob(".building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for pointer in data_dir.glob(f".{CURRENT}.*"):
        pointer.unlink(missing_ok=True)
