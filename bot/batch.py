"""``ask --json --batch FILE``: one question per line, split so that output line N answers input
line N, each answered as one JSON object with the model loaded once."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from embeddings.errors import EmptyQuestion
from embeddings.filters import Filters
from embeddings.os_text import utf8_position
from embeddings.question import visible_text

from .answers import answer_json, emit_json, filtered_out_note, named_filtered_out_note
from .formatting import truncation_note

if TYPE_CHECKING:
    from embeddings.service import CoverageService


@dataclass
class BatchLine:
    """One line of a batch file: its text, or why it cannot be read (it then gets an error object)."""

    #: The line as decoded; a line that is not UTF-8 keeps its text with U+FFFD for each bad byte, so
    #: its JSON object still says which line it was (it is refused, never searched).
    text: str
    error: str | None = None


class NotUtf8Text(ValueError):
    """The file is UTF-16/32 (a byte-order mark or NUL bytes): its lines cannot be told apart."""


def batch_lines(data: bytes) -> list[BatchLine]:
    """Split on newlines only (``\\r\\n`` too; a file of bare ``\\r``, as classic Mac OS wrote, on
    those): a form feed or U+2028 inside a question does not make two lines, as ``str.splitlines``
    would. A line that is not UTF-8 is an error for that line alone; a UTF-16 or UTF-32 file (whose
    newlines are not single bytes) is refused whole."""
    # A BOM, or NUL bytes in a quarter of the file (UTF-16 text is half NULs); a stray NUL is a line's problem.
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or data.count(b"\x00") * 4 >= len(data) > 0:
        raise NotUtf8Text("it looks like UTF-16 or UTF-32 text: save it as UTF-8, one question per line")
    newline = b"\r" if b"\r" in data and b"\n" not in data else b"\n"
    pieces = data.split(newline)
    if data.endswith(newline) or not data:
        pieces.pop()
    lines = []
    for raw in (piece.removesuffix(b"\r") for piece in pieces):
        try:
            lines.append(BatchLine(raw.decode("utf-8")))
        except UnicodeDecodeError as error:
            where = utf8_position(raw, error.start)  # as index says it of a seed: the column an editor shows
            lines.append(BatchLine(raw.decode("utf-8", "replace"),
                                   f"the line is not valid UTF-8 (column {where['column']}: byte {where['byte']})"))
    return lines


def read_batch(path: str) -> list[BatchLine]:
    """The lines of FILE (``-``: standard input), see :func:`batch_lines`; an unreadable
    file is a clear error."""
    if not path.strip():
        raise click.BadParameter("no file named: give a file, or - for standard input", param_hint="--batch")
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:  # a missing file or a folder: the command line is wrong (exit 2)
        raise click.BadParameter(f"cannot read {path}: {error.strerror or error}", param_hint="--batch") from None
    try:
        lines = batch_lines(data)
    except NotUtf8Text as error:
        raise click.BadParameter(f"cannot read {path}: {error}", param_hint="--batch") from None
    if not lines:
        click.echo(f"Note: {'standard input' if path == '-' else path} holds no line: no question to answer", err=True)
    return lines


def ask_batch(service: CoverageService, lines: list[BatchLine], k: int, filters: Filters) -> None:
    """One JSON object per input line, in order, so output line N answers input line N. A blank
    line (or one with nothing visible, or not UTF-8) gets ``answered: false`` and an ``error``, not a gap;
    a line that is not UTF-8 keeps its text in ``question`` (see :class:`BatchLine`)."""
    noted = False
    for number, line in enumerate(lines, start=1):
        answer, error = None, line.error
        if error is None:
            try:
                answer = service.ask(line.text, k, **filters.kwargs())
            except EmptyQuestion as empty:
                error = str(empty)
        if answer is None:
            click.echo(f"Note: line {number}: {error}", err=True)
            # echoed as any question is (spaces collapsed, invisible characters dropped), so it can be found
            emit_json({"question": visible_text(line.text), "answered": False, "results": [], "error": error})
            continue
        if answer.truncated:
            click.echo(f"Note: line {number}: {truncation_note('en')}", err=True)
        if note := named_filtered_out_note(answer, filters, "en"):
            click.echo(f"Note: line {number}: {note}", err=True)
        if answer.filtered_out and not noted:
            click.echo(filtered_out_note(service, filters), err=True)
            noted = True
        emit_json(answer_json(answer))
