"""Batch files for ``ask --json --batch``: one question per line, split so that output line N
answers input line N."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BatchLine:
    """One line of a batch file: its text, or why it cannot be read (it then gets an error object)."""

    text: str
    error: str | None = None


class NotUtf8Text(ValueError):
    """The file is UTF-16/32 (a byte-order mark or NUL bytes): its lines cannot be told apart."""


def batch_lines(data: bytes) -> list[BatchLine]:
    """Split on newlines only (``\\r\\n`` too): a form feed or U+2028 inside a question does not make
    two lines, as ``str.splitlines`` would. A line that is not UTF-8 is an error for that line alone;
    a UTF-16 or UTF-32 file (whose newlines are not single bytes) is refused whole."""
    # A BOM, or NUL bytes in a quarter of the file (UTF-16 text is half NULs); a stray NUL is a line's problem.
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or data.count(b"\x00") * 4 >= len(data) > 0:
        raise NotUtf8Text("it looks like UTF-16 or UTF-32 text: save it as UTF-8, one question per line")
    pieces = data.split(b"\n")
    if data.endswith(b"\n") or not data:
        pieces.pop()
    lines = []
    for raw in pieces:
        try:
            lines.append(BatchLine(raw.removesuffix(b"\r").decode("utf-8")))
        except UnicodeDecodeError as error:
            lines.append(BatchLine("", f"the line is not valid UTF-8 (byte {error.start})"))
    return lines
