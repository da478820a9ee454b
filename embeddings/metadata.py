"""Outlet, date and title per article: curated sidecar first, careful extraction second, never guessed.

``seeds/sources.toml`` holds curated facts per article id (the seed file's stem) and wins field by
field. For anything it does not curate, the text is read, but only where the article itself
speaks: the *header* (lines before the first content paragraph) and the first kept paragraphs.
Sidebars, related links and other trailing boilerplate are never read, because their dates belong
to other stories. A wrong date is worse than none: dates must be real calendar dates in
1990..2100, a stated weekday must match, and if the first date a region gives is broken, that
region yields nothing rather than a later, less certain date.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from babel.dates import get_day_names, get_month_names

from .cleaning import CleanedArticle
from .lines import dated_headlines, matched_rule

SIDECAR_NAME = "sources.toml"
BASES = ("published", "event")
_FIELDS = ("outlet", "date", "date_basis", "title", "note")
#: How many kept paragraphs (from the top) may give an outlet dateline or an event date.
LEAD_PARAGRAPHS = 3
YEARS = range(1990, 2101)


@dataclass(frozen=True)
class ArticleMeta:
    outlet: str | None
    date: str | None
    date_basis: str | None
    title: str | None
    source: str  # "sidecar", "extracted", or "sidecar+extracted"


# ---------------------------------------------------------------- sidecar


def load_sidecar(seeds_dir: Path) -> dict[str, dict]:
    """Read ``seeds_dir/sources.toml`` into ``{article_id: {field: value}}`` ({} if absent).

    A present key means "curated": ``outlet = false`` / ``date = false`` become ``None`` values
    (curated as unknown, so extraction must not fill them in); dates become ISO strings.
    Broken TOML or an invalid entry raises ``ValueError`` naming the file.
    """
    path = Path(seeds_dir) / SIDECAR_NAME
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    return {str(key): _entry(path, str(key), value) for key, value in data.items()}


def _entry(path: Path, key: str, value: object) -> dict:
    def bad(msg: str) -> ValueError:
        return ValueError(f"{path}: [{key}] {msg}")

    if not isinstance(value, dict):
        raise bad("must be a table")
    if unknown := sorted(set(value) - set(_FIELDS)):
        raise bad(f"unknown field(s) {unknown}; allowed: {list(_FIELDS)}")
    out: dict = {}
    for name in ("outlet", "title", "note"):
        if name in value:
            v = value[name]
            if not (isinstance(v, str) and v.strip()) and not (name == "outlet" and v is False):
                raise bad(f"{name} must be a non-empty string" + (" or false" if name == "outlet" else ""))
            out[name] = v.strip() if isinstance(v, str) else None
    if "date" in value:
        v = value["date"]
        if v is False:
            out["date"] = None
        else:
            iso = v.isoformat() if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else v
            if not isinstance(iso, str) or _valid(*_ymd(iso)) is None:
                years = f"{YEARS.start}..{YEARS.stop - 1}"
                raise bad(f"date must be YYYY-MM-DD (a real date in {years}) or false")
            out["date"] = iso
    if "date_basis" in value:
        if value["date_basis"] not in BASES:
            raise bad(f"date_basis must be one of {list(BASES)}")
        out["date_basis"] = value["date_basis"]
    if out.get("date") is not None and "date_basis" not in out:
        raise bad("a curated date needs date_basis")
    if out.get("date") is None and out.get("date_basis"):
        raise bad("date_basis without a date")
    return out


def _ymd(iso: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return (int(m[1]), int(m[2]), int(m[3])) if m else (0, 0, 0)


# ---------------------------------------------------------------- dates


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
    # Kompas.com - 01/09/2025, 06:12 WIB: day/month/year, checked by the clock of a time stamp
    re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}),?\s+\d{1,2}[:.]\d{2}\b"),
    # 2025-05-10
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
)


def _valid(y: int, m: int, d: int, weekday: int | None = None) -> str | None:
    """ISO date if it is a real calendar date in ``YEARS`` (and falls on ``weekday``), else None."""
    if y not in YEARS:
        return None
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None
    return None if weekday is not None and day.weekday() != weekday else day.isoformat()


def _first_date(texts: list[str], *, need_weekday: bool) -> str | None:
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
        return _valid(int(m["y"]), month, int(m["d"]), weekday)
    return None


# ---------------------------------------------------------------- outlet

_DOMAIN = r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,3}){1,2}"
_CITY = r"[A-Z][\w'’./ ]{1,40}?"  # "Jakarta", "MOSCOW/BEIJING"
_DATELINES = (
    re.compile(rf"^(?P<o>{_DOMAIN})\s*,\s*{_CITY}\s*[-–—]+\s"),  # IVOOX.id, Moscow -
    re.compile(rf"^(?P<o>{_DOMAIN})\s*[-–—]+\s"),  # TRIBUNNEWS.COM - | Suara.com -
    re.compile(rf"^{_CITY}\s*,\s*(?P<o>{_DOMAIN})\s*[-–—]+\s"),  # JAKARTA, KOMPAS.com -
    re.compile(rf"^{_CITY}\s*,\s*(?P<o>[A-Z]{{2,}}(?:\s[A-Z][a-z]+)?)\s*[-–—]+\s"),  # Jakarta, CNN Indonesia --
    # Jakarta (ANTARA) - | MOSCOW, March 21 (Reuters) -
    re.compile(rf"^{_CITY}(?:,\s*[\w ]{{1,20}}?)?\s*\((?P<o>[A-Z][\w.]{{1,24}})\)\s*[-–—]+\s"),
    re.compile(rf"^{_CITY},\s*[\w .]{{1,20}}?\s*/(?P<o>[A-Z][\w.]{{1,24}})/"),  # BEIJING, July 13. /TASS/.
)
_SITE_ICON = re.compile(r"^Site icon\s+(?P<o>\S.{0,40}?)\s*$", re.I)


def _outlet(header: list[str], lead: list[str]) -> str | None:
    for text in lead:
        for pattern in _DATELINES:
            if m := pattern.match(text):
                return m["o"]
    for text in header:
        if m := _SITE_ICON.match(text):
            return m["o"]
    return None


# ---------------------------------------------------------------- public


#: How many dropped lines under the first paragraph may hold its time stamp (see _stamp_under_deck).
STAMP_LINES_UNDER_DECK = 3


def _stamp_under_deck(cleaned: CleanedArticle) -> str | None:
    """The date of a bare time stamp ("22 Oktober 2024", "Selasa, 2 September 2025 | 19:48") among
    the few dropped lines right under the first paragraph: a deck (standfirst) kept as the first
    paragraph puts the stamp there. Only a line that is little more than the date counts, so a
    dated headline of another article is never read; a kept line ends the search."""
    if not cleaned.paragraphs:
        return None
    under: list[str] = []
    for d in cleaned.decisions:
        if d.line_no <= cleaned.paragraphs[0].line_no or not d.text:
            continue
        if d.keep or len(under) == STAMP_LINES_UNDER_DECK:
            break
        under.append(d.text)
    for text in under:
        if (day := _first_date([text], need_weekday=False)) and len(_DATE_WORDS.sub(" ", text).split()) <= 2:
            return day
    return None


_DATE_WORDS = re.compile(rf"\b({_M}|{_D}|jum'?at|wib|wita|wit|gmt|utc|pm|am)\b|[\d:./|,()+-]+", re.I)


def extract_metadata(cleaned: CleanedArticle) -> ArticleMeta:
    """Outlet, date and title read from the article's own header and lead paragraphs only.

    Header dates (publication stamps such as "10 Mei 2025, 09:59") are ``published``; a date in
    the lead paragraphs counts only with a weekday ("Rabu (4/2/2026)") and is the ``event`` date.
    Everything is read from ``cleaned.decisions`` (every line, with its classification).
    """
    start = cleaned.paragraphs[0].line_no if cleaned.paragraphs else 0
    # The header, without a labelled listing of other articles (their dates are theirs).
    head = [d for d in cleaned.decisions if d.line_no < start and d.text and d.kind not in ("duplicate", "sidebar")]
    # Without the title too: a date in a headline is the event's, not the publication's.
    header = [d.text for d in head if d.kind != "title"]
    lead = [p.text for p in cleaned.paragraphs[:LEAD_PARAGRAPHS]]
    title, date, basis = cleaned.title, None, "published"
    texts = [d.text for d in head if not matched_rule(d.text)]  # a photo credit's stamp is the photo's
    stamped_days = {_first_date([texts[i]], need_weekday=False) for i in dated_headlines(texts)} - {None}
    if len(stamped_days) > 1:
        # Several dated headlines naming different days (an unlabelled list of other articles):
        # which one is this article's cannot be told, so neither its title nor a header date is taken.
        title = None
    else:
        date = _first_date([t for t in header if not matched_rule(t)], need_weekday=False)
        if date is None:
            date = _stamp_under_deck(cleaned)
    if date is None:
        date, basis = _first_date(lead, need_weekday=True), "event"
    return ArticleMeta(_outlet(header, lead), date, basis if date else None, title, "extracted")


def article_metadata(
    article_id: str, cleaned: CleanedArticle, sidecar: dict[str, dict]
) -> ArticleMeta:
    """Sidecar facts for ``article_id`` win field by field; extraction fills only what is not curated.

    ``source`` is "sidecar" when outlet, date and basis all come from the sidecar, "extracted" when
    none do, else "sidecar+extracted". The title is the sidecar's if given, else the extracted one
    (``None`` when the header cannot tell it from other articles' headlines).
    """
    entry = sidecar.get(article_id)
    if not entry:
        return extract_metadata(cleaned)
    curated_date = "date" in entry
    need = [f for f in ("outlet", "date") if f not in entry]
    found = extract_metadata(cleaned) if need else None
    outlet = entry["outlet"] if "outlet" in entry else found.outlet
    if curated_date:
        date, basis = entry["date"], entry.get("date_basis")
    else:
        date, basis = found.date, found.date_basis
    source = "sidecar" if not need else "sidecar+extracted"
    title = entry["title"] if "title" in entry else (found or extract_metadata(cleaned)).title
    return ArticleMeta(outlet, date, basis, title, source)
