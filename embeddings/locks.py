"""Exclusive file locks (``fcntl.flock``) that keep two processes from building the same thing at once.

Used for the index build (``DATA_DIR/build.lock``: a second build fails within a fifth of a second)
and for the default model's build (``MODELS_DIR/.build.lock``: a second process waits, then uses
what the first built).
``flock`` locks belong to an open file, so two threads of one process exclude each other as two
processes do.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import CoverageError, UnusableDirectory

log = logging.getLogger(__name__)


def _open_lock_file(directory: Path, name: str, setting: str) -> TextIO:
    """Create ``directory`` if needed and open its lock file for writing.

    A directory that is a file, or that cannot be written (a read-only file system), raises
    ``UnusableDirectory`` naming ``setting`` (``DATA_DIR``, ``MODELS_DIR``): a clear message, not a
    traceback.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
        return open(directory / name, "w")  # closed by the caller's with
    except IsADirectoryError:
        raise UnusableDirectory(setting, directory, in_the_way(name)) from None
    except OSError as error:
        raise UnusableDirectory(setting, directory, error) from None


def in_the_way(name: str) -> OSError:
    """The error for a folder where the file ``name`` of a data directory belongs (made by hand, or by a
    tool): it names the file and the fix, where "Is a directory" left the admin to guess which."""
    return IsADirectoryError(errno.EISDIR, f"its {name} is a folder where a file belongs: remove that folder")


#: How often a lock that is held is tried again before it counts as busy, ``BUSY_PAUSE`` seconds apart.
BUSY_TRIES, BUSY_PAUSE = 5, 0.05


def _lock_within(handle: TextIO, tries: int) -> bool:
    """Take the exclusive lock of ``handle`` if it is free now or within ``tries - 1`` pauses."""
    for attempt in range(tries):
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt < tries - 1:
                time.sleep(BUSY_PAUSE)
    return False


@contextlib.contextmanager
def exclusive_lock(directory: Path, name: str, setting: str, *, busy: CoverageError | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``directory/name`` for the body of a ``with``.

    If another holder has it: raise ``busy`` when given (after a few tries within a fifth of a second:
    a check whether a build runs, ``generations.build_running``, holds the lock for an instant), else
    wait until it is released (and log that, since a wait can last as long as the other build).
    """
    with _open_lock_file(directory, name, setting) as handle:
        if not _lock_within(handle, BUSY_TRIES):
            if busy is not None:
                raise busy from None
            log.info("waiting for %s: another build holds it", directory / name)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
