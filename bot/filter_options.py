"""The ``--outlet``/``--since``/``--until`` options that ``ask`` and ``chat`` share, read into one
:class:`embeddings.filters.Filters`.

Dates are read as ISO days by :class:`IsoDate`, which tells a wrong format ("write it as
YYYY-MM-DD") from a day that does not exist ("2023-02-30 is not a valid date"), which click's
``DateTime`` reports alike; a reversed range is a usage error, not a filter that matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import click

from embeddings.filters import Filters

F = TypeVar("F", bound=Callable[..., object])

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class IsoDate(click.ParamType):
    """A calendar day written ``YYYY-MM-DD``, converted to a :class:`datetime.date`."""

    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if not _ISO_DAY.fullmatch(text):
            self.fail(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-06-19.", param, ctx)
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{text} is not a valid date (YYYY-MM-DD): that day does not exist.", param, ctx)


def _one_outlet(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> str | None:
    """The one ``--outlet`` given, or ``None``; given twice is a usage error, not the last one quietly
    winning: a user comparing two outlets would read one outlet's answer as both's."""
    if len(values) > 1:
        given = ", ".join(repr(v) for v in values)
        raise click.BadParameter(f"given {len(values)} times ({given}): one outlet per question; to compare "
                                 "outlets, ask once per outlet.", ctx, param)
    return values[0] if values else None


def filter_options(command: F) -> F:
    """Add ``--outlet``, ``--since`` and ``--until`` to a command (read them with :func:`read_filters`)."""
    options = (
        click.option("--outlet", multiple=True, callback=_one_outlet,
                     help="Only this outlet (case-insensitive substring, e.g. ntv); "
                          "'unknown' (or 'tidak diketahui'): only articles whose outlet is unknown."),
        click.option("--since", type=IsoDate(), help="Only articles dated on/after this day (not undated ones)."),
        click.option("--until", type=IsoDate(), help="Only articles dated on/before this day (not undated ones)."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def read_filters(outlet: str | None, since: date | None, until: date | None) -> Filters:
    """The filters the options give; ``--since`` after ``--until`` is a usage error (exit code 2)."""
    if since and until and since > until:
        raise click.UsageError(f"the dates are reversed: --since {since.isoformat()} is after "
                               f"--until {until.isoformat()} (swap them).")
    return Filters(outlet=outlet, since=since, until=until)
