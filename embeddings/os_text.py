"""Text from the operating system (paths, file names, a shell's arguments) that may hold bytes that are
not UTF-8: Python passes each such byte as a lone surrogate (``surrogateescape``), which cannot be
written as UTF-8 (to the index, a report, JSON) or shown as it is.
"""

from __future__ import annotations

import os


def holds_non_utf8(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate: a byte that is not UTF-8, as Python passes it."""
    return any("\ud800" <= c <= "\udfff" for c in text)


def as_shown(text: str) -> str:
    """``text`` fit to print: each byte that is not UTF-8 written as ``\\xe9``."""
    try:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no byte was decoded to (not from the operating system)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
