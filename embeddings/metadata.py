"""Outlet, date and title per article: curated sidecar first, careful extraction second, never guessed.

``seeds/sources.toml`` holds curated facts per article id (the seed file's stem) and wins field by
field. For anything it does not curate, the text is read, but only where the article itself
speaks: the *header* (lines before the first content paragraph, and a bare stamp right under a
kept deck) and the first kept paragraphs. Sidebars, related links, captions and other boilerplate
are never read, because their dates belong to other stories or photos. A wrong date is worse than
none (:mod:`embeddings.dates`): dates must be real calendar dates in 1990..2100, a stated weekday
must match, and if the first date a region gives is broken, that region yields nothing rather than
a later, less certain date.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .chrome import matched_rule
from .cleaning import CleanedArticle
from .dates import YEARS, first_date, stamp_date, valid_date
from .lines import dated_headlines, updated_stamp

SIDECAR_NAME = "sources.toml"
BASES = ("published", "event")
_FIELDS = ("outlet", "date", "date_basis", "title", "note")
#: How many kept paragraphs (from the top) may give an outlet dateline or an event date.
LEAD_PARAGRAPHS = 3


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
    (curated as unknown, so extraction must not fill them in); dates become ISO strings. Keys are
    taken in Unicode NFC, as seed file names are matched (:mod:`embeddings.seed_files`).
    Broken TOML or invalid entries raise ``ValueError`` naming the file and, for entries, every
    problem of every entry at once (``[key] problem; [key] problem``): an admin fixes them in one go,
    not one re-run per mistake. (The TOML parser stops at its first syntax error: that one alone.)
    """
    path = Path(seeds_dir) / SIDECAR_NAME
    if not path.is_file():
        if path.exists() or path.is_symlink():  # its facts are somewhere else: lost without a word
            raise ValueError(f"{path}: not a regular file (a broken link, a folder, a pipe): its curated "
                             "facts cannot be read")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:  # no permission: the curated facts cannot be read, so none can be trusted
        raise ValueError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    entries: dict[str, dict] = {}
    problems: list[str] = []
    for key, value in data.items():
        article_id = unicodedata.normalize("NFC", key)  # seed_files.nfc, which imports this module
        entry, wrong = _entry(value)
        if article_id in entries:
            wrong.insert(0, "is another entry's key written in another Unicode form (composed/decomposed)")
        problems += [f"[{key}] {problem}" for problem in wrong]
        entries.setdefault(article_id, entry)
    if problems:
        count = f"{len(problems)} problems: " if len(problems) > 1 else ""
        raise ValueError(f"{path}: {count}{'; '.join(problems)}")
    return entries


def _entry(value: object) -> tuple[dict, list[str]]:
    """One sidecar entry's curated fields, and every problem found in it (none: it is valid)."""
    if not isinstance(value, dict):
        return {}, ["must be a table"]
    problems: list[str] = []
    if unknown := sorted(set(value) - set(_FIELDS)):
        problems.append(f"unknown field(s) {unknown} (allowed: {', '.join(_FIELDS)})")
    out: dict = {}
    for name in ("outlet", "title", "note"):
        if name in value:
            v = value[name]
            if not (isinstance(v, str) and v.strip()) and not (name == "outlet" and v is False):
                problems.append(f"{name} must be a non-empty string" + (" or false" if name == "outlet" else ""))
            out[name] = v.strip() if isinstance(v, str) else None
    if "date" in value:
        v = value["date"]
        iso = v.isoformat() if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else v
        if v is False:
            out["date"] = None
        elif not isinstance(iso, str) or valid_date(*_ymd(iso)) is None:
            problems.append(f"date must be YYYY-MM-DD (a real date in {YEARS.start}..{YEARS.stop - 1}) or false, "
                            f"not {v!r}")
        else:
            out["date"] = iso
    if "date_basis" in value:
        if value["date_basis"] not in BASES:
            problems.append(f"date_basis must be one of {list(BASES)}")
        out["date_basis"] = value["date_basis"]
    if out.get("date") is not None and "date_basis" not in out:
        problems.append("a curated date needs date_basis")
    if value.get("date", False) is False and value.get("date_basis"):  # none given, or curated as unknown
        problems.append("date_basis without a date")
    return out, problems


def _ymd(iso: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return (int(m[1]), int(m[2]), int(m[3])) if m else (0, 0, 0)


# ---------------------------------------------------------------- outlet

_DOMAIN = r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,3}){1,2}"
#: A dateline's place: capitalized words ("Jakarta", "MOSCOW/BEIJING", "New York"), so that a lead-in
#: such as "Sementara itu, KPK —" or "Di sisi lain, DPR -" is no dateline.
_CITY = r"[A-Z][\w'’./]*(?:\s[A-Z][\w'’./]*){0,2}"
#: After a dateline's dash the story starts, with a capital ("Amazon.com - the world's…" is prose).
_STORY = r"[-–—]+\s+(?=[A-Z\"“‘'(])"
_DATELINES = (
    re.compile(rf"^(?P<o>{_DOMAIN})\s*,\s*{_CITY}\s*{_STORY}"),  # IVOOX.id, Moscow -
    re.compile(rf"^(?P<o>{_DOMAIN})\s*{_STORY}"),  # TRIBUNNEWS.COM - | Suara.com -
    re.compile(rf"^{_CITY}\s*,\s*(?P<o>{_DOMAIN})\s*{_STORY}"),  # JAKARTA, KOMPAS.com -
    # Jakarta, CNN Indonesia -- (an acronym alone, "Meanwhile, NATO -", is no outlet)
    re.compile(rf"^{_CITY}\s*,\s*(?P<o>[A-Z]{{2,}}\s(?:Indonesia|News|TV|Online))\s*{_STORY}"),
    # Jakarta (ANTARA) - | MOSCOW, March 21 (Reuters) -
    re.compile(rf"^{_CITY}(?:,\s*[\w ]{{1,20}}?)?\s*\((?P<o>[A-Z][\w.]{{1,24}})\)\s*{_STORY}"),
    re.compile(rf"^{_CITY},\s*[\w .]{{1,20}}?\s*/(?P<o>[A-Z][\w.]{{1,24}})/"),  # BEIJING, July 13. /TASS/.
)
_SITE_ICON = re.compile(r"^Site icon\s+(?P<o>\S.{0,40}?)\s*$", re.I)
#: "Warta Ekonomi, Jakarta - …": an outlet's name with no domain, two or three capitalized words, then
#: the place. Prose can open the same way ("Presiden Putin, Moskow - …", "Vladimir Putin, Moskow - …"),
#: so the name must also say it names a news medium (:data:`_NEWS_WORDS`), and only the article's first
#: paragraph is read for it, where a dateline stands.
_NAMED = re.compile(rf"^(?P<o>[A-Z][\w'’&-]*(?:\s[A-Z][\w'’&-]*){{1,2}})\s*,\s*{_CITY}\s*{_STORY}")
#: Words that name a news medium ("Warta Ekonomi", "Media Indonesia", "Harian Kompas", "Jawa Pos",
#: "Suara Merdeka", "Kabar Bisnis"). A person's title, a name or a place has none.
_NEWS_WORDS = frozenset({"warta", "kabar", "berita", "harian", "koran", "majalah", "media", "pos", "post", "times",
                         "news", "tribun", "tribune", "suara", "radio", "tv", "daily", "herald", "journal", "jurnal",
                         "gazette", "press", "pers"})
#: Words that make a news word generic, not a name: "Berita Terkini", "Media Sosial", "Media Asing".
_GENERIC = frozenset({"terkini", "terbaru", "terpopuler", "populer", "utama", "lainnya", "terkait", "sosial", "massa",
                      "asing", "lokal", "nasional", "internasional", "barat", "pemerintah", "online", "hari", "ini"})


def _named_dateline(text: str) -> re.Match[str] | None:
    """The dateline "Warta Ekonomi, Jakarta - " that ``text`` opens with (see ``_NAMED``), if its name
    has a news word and no generic one."""
    words = {w.casefold() for w in m["o"].split()} if (m := _NAMED.match(text)) else set()
    return m if words & _NEWS_WORDS and not words & _GENERIC else None


def without_dateline(text: str) -> str | None:
    """``text`` after the outlet's dateline it opens with ("Ntvnews.id, Moskow - Presiden …" ->
    "Presiden …"), or ``None`` when it opens with none: how a mirror copies an outlet's lede."""
    for match in (*(pattern.match(text) for pattern in _DATELINES), _named_dateline(text)):
        if match:
            return text[match.end():].lstrip(" ./-–—")
    return None


def _outlet(header: list[str], lead: list[str]) -> str | None:
    for k, text in enumerate(lead):
        for pattern in _DATELINES:
            if m := pattern.match(text):
                return m["o"]
        if k == 0 and (m := _named_dateline(text)):  # a name with no domain: only where a dateline stands
            return m["o"]
    for text in header:
        if m := _SITE_ICON.match(text):
            return m["o"]
    return None


# ---------------------------------------------------------------- public


def _stamp_under_deck(cleaned: CleanedArticle) -> str | None:
    """The date of a bare time stamp ("22 Oktober 2024", "Selasa, 2 September 2025 | 19:48") right
    under the first paragraph, past a byline at most: a deck (standfirst) kept as the first
    paragraph puts the page's stamp there. Any other line ends the search, so a related article's
    headline and stamp ("Baca Juga" / headline / stamp) are never read."""
    if not cleaned.paragraphs:
        return None
    for d in cleaned.decisions:
        if d.line_no <= cleaned.paragraphs[0].line_no or not d.text:
            continue
        if day := stamp_date(d.text):
            return day
        if d.keep or matched_rule(d.text) != "byline":
            return None
    return None


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
    # Chrome's dates (a photo credit's, a deck's) are not the article's: a line a rule names, alone or in place.
    unruled = [d for d in head if not matched_rule(d.text) and not d.reason.startswith("rule: ")]
    texts = [d.text for d in unruled]
    stamped_days = {first_date([texts[i]], need_weekday=False) for i in dated_headlines(texts)} - {None}
    if len(stamped_days) > 1:
        # Several dated headlines naming different days (an unlabelled list of other articles):
        # which one is this article's cannot be told, so neither its title nor a header date is taken.
        title = None
    else:
        # Under the headline first: a date above it is often the site's clock ("Jumat, 09 Mei 2025 –
        # 03:10 WIB" in the top bar, the day the page was saved), the article's stamp follows its title.
        titled = next((d.line_no for d in head if d.kind == "title"), -1)
        # An "updated" stamp under it counts last: the publication stamp above wins, but a page whose
        # only stamp says "Updated …" (AP) is still dated.
        below = [d.text for d in unruled if d.line_no > titled]
        date = (first_date([t for t in below if not updated_stamp(t)], need_weekday=False)
                or first_date([d.text for d in unruled if d.line_no < titled], need_weekday=False)
                or first_date(below, need_weekday=False))
        if date is None:
            date = _stamp_under_deck(cleaned)
    if date is None:
        date, basis = first_date(lead, need_weekday=True), "event"
    return ArticleMeta(_outlet(header, lead), date, basis if date else None, title, "extracted")


def article_metadata(
    article_id: str, cleaned: CleanedArticle, sidecar: dict[str, dict]
) -> ArticleMeta:
    """Sidecar facts for ``article_id`` win field by field; extraction fills only what is not curated.

    ``source`` is "sidecar" when outlet, date and basis all come from the sidecar, "extracted" when
    none do (an entry with only a title or a note), else "sidecar+extracted". The title is the
    sidecar's if given, else the extracted one (``None`` when the header cannot tell it from other
    articles' headlines).
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
    source = "sidecar" if not need else "extracted" if len(need) == 2 else "sidecar+extracted"
    title = entry["title"] if "title" in entry else (found or extract_metadata(cleaned)).title
    return ArticleMeta(outlet, date, basis, title, source)
