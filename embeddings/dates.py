"""Dates in Indonesian and English news text: finding them, and checking they are real.

A wrong date is worse than none: a date must be a real calendar date in ``YEARS``, a stated weekday
must match it, and a broken first mention is not replaced by a later, less certain one. Month and
day names come from Babel (``id`` and ``en``).
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_day_names, get_month_names

YEARS = range(1990, 2101)


def _names(kind: str, widths: tuple[str, ...]) -> dict[str, int]:
    get = get_month_names if kind == "month" else get_day_names
    return {
        name.casefold(): number
        for locale in ("id", "en")
        for width in widths
        for number, name in get(width, locale=locale).items()
    }


_MONTHS = _names("month", ("wide", "abbreviated"))  # 1..12
_DAYS = _names("day", ("wide",))  # 0 = Monday, as date.weekday()
_M = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_D = "|".join(sorted(map(re.escape, _DAYS), key=len, reverse=True)).replace("jumat", "jum['’]?at")
_WD = rf"(?:(?P<wd>{_D})\s*,?\s*)"
_DATE_PATTERNS = (
    # 10 Mei 2025 | Sabtu, 10 Mei 2025 | Senin, 16 Jun 2025 | 19 June 2025
    re.compile(rf"\b{_WD}?(?P<d>\d{{1,2}})\s+(?P<m>{_M})\.?\s+(?P<y>\d{{4}})\b", re.I),
    # June 19, 2025 | Thursday, Jun 19, 2025
    re.compile(rf"\b{_WD}?(?P<m>{_M})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.I),
    # Rabu (4/2/2026): day/month/year, Indonesian order; only with a weekday, which checks it
    re.compile(rf"\b{_WD}\(?\s*(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}})\s*\)?", re.I),
    # Kompas.com - 01/09/2025, 06:12 WIB | Issued on: 02/09/2025 - 12:04 (France 24): day/month/year
    # with a 24-hour clock (a 12-hour or US-zoned stamp, "09/01/2025, 6:12 PM EDT", is month/day: not read)
    re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}),?\s+(?:[-–|]\s*)?\d{1,2}[:.]\d{2}\b"
               r"(?!\s*(?:[AaPp]\.?[Mm]\b|[ECMP][SD]?T\b))"),
    # 2025-05-10 | 2024.07.25 (Radio Free Asia): year first, so the order is never in doubt
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    re.compile(r"\b(?P<y>\d{4})\.(?P<m>\d{2})\.(?P<d>\d{2})\b"),
)


def valid_date(y: int, m: int, d: int, weekday: int | None = None) -> str | None:
    """ISO date if it is a real calendar date in ``YEARS`` (and falls on ``weekday``), else None."""
    if y not in YEARS:
        return None
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None
    return None if weekday is not None and day.weekday() != weekday else day.isoformat()


def first_date(texts: list[str], *, need_weekday: bool) -> str | None:
    """ISO date of the earliest date mention in ``texts``; None if there is none or it is broken
    (a later mention is not tried: the first is the one the text means)."""
    for text in texts:
        hits = [m for p in _DATE_PATTERNS for m in p.finditer(text)]
        if need_weekday:
            hits = [m for m in hits if m.groupdict().get("wd")]
        if not hits:
            continue
        m = min(hits, key=lambda h: (h.start(), -len(h[0])))
        # A name the case-insensitive pattern matched but the table lacks ("MEİ": Turkish dotted İ
        # folds to two characters) is a broken mention like any other.
        month = int(m["m"]) if m["m"].isdigit() else _MONTHS.get(m["m"].casefold())
        wd = m.groupdict().get("wd")
        weekday = _DAYS.get(re.sub("['’]", "", wd.casefold()), -1) if wd else None
        if month is None or weekday == -1:
            return None
        return valid_date(int(m["y"]), month, int(m["d"]), weekday)
    return None


_STAMP_WORDS = re.compile(rf"\b({_M}|{_D}|jum['’]?at|wib|wita|wit|gmt|utc|pm|am)\b|[\d:./|,()+-]+", re.I)


def stamp_date(text: str) -> str | None:
    """The date of a line that is a date and little else ("22 Oktober 2024", "Selasa, 2 September
    2025 | 19:48", "13 JUL 2025, 14:05"): a time stamp, not a title, a heading or another article's
    headline. None for any other line."""
    if len(_STAMP_WORDS.sub(" ", text).split()) > 2:
        return None
    return first_date([text], need_weekday=False)


def is_stamp(text: str) -> bool:
    """Whether ``text`` is a time stamp (see :func:`stamp_date`)."""
    return stamp_date(text) is not None
