"""Bytes that are not UTF-8: in text from the operating system (paths, file names, a shell's
arguments), where Python passes each such byte as a lone surrogate (``surrogateescape``) that cannot be
written as UTF-8 (to the index, a report, JSON) or shown as it is; and in a file read as UTF-8 (a seed,
a batch file, ``.env``), where the first one is said as an editor shows its place.
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


def utf8_position(data: bytes, start: int) -> dict[str, str]:
    """Where the first byte that is not UTF-8 is, as an editor shows it: line 12, column 5, byte
    ``0xe9`` (strings: an editor writes line 1234, not 1,234). The column counts characters
    (everything before ``start`` decodes), not a byte order mark; a line is ended by a newline."""
    line_start = data.rfind(b"\n", 0, start) + 1
    before = data[line_start:start].decode("utf-8")
    if line_start == 0:
        before = before.removeprefix("\ufeff")
    line = data.count(b"\n", 0, start) + 1
    return {"line": str(line), "column": str(len(before) + 1), "byte": f"0x{data[start]:02x}"}
