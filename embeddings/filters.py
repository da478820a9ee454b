"""The optional filters of a question: an outlet and a date range, and which articles they leave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .records import Article

#: ``outlet`` values that select the articles whose outlet is unknown: the words the answers print
#: for them ("outlet unknown", "media tidak diketahui": citations, lists of outlets, what the coverage
#: holds), so what a user reads is what they can filter by; and the phrases earlier versions printed in
#: summaries ("media yang tidak disebutkan", "an unnamed outlet"), so a phrase copied from them works too.
UNKNOWN_OUTLET = frozenset({
    "unknown", "outlet unknown", "tidak diketahui", "media tidak diketahui",
    "unknown outlet", "unnamed outlet", "an unnamed outlet", "unnamed outlets", "media yang tidak disebutkan",
})

#: What a copy from a sentence may carry around the words: quotes, and the punctuation that ends a list.
_COPIED_AROUND = " \t.,;:!?\"'«»“”‘’()"


@dataclass(frozen=True)
class Filters:
    """The filters of one question or chat session, as the user gave them (all optional)."""

    outlet: str | None = None
    since: date | None = None
    until: date | None = None

    def __bool__(self) -> bool:
        """Whether any filter is set (a blank outlet is none)."""
        return bool((self.outlet or "").strip() or self.since or self.until)

    def kwargs(self) -> dict[str, str | date | None]:
        """The keyword arguments of ``CoverageService.ask`` and ``CoverageService.sources``."""
        return {"outlet": self.outlet, "since": self.since, "until": self.until}


#: No filter at all (the default of the formatting helpers).
NO_FILTERS = Filters()


def selects_unknown_outlet(outlet: str | None) -> bool:
    """Whether ``outlet`` asks for the articles whose outlet is unknown (``unknown``, ``tidak diketahui``),
    spaces, case, quotes and a list's final ``.`` aside: "…, QNews, media tidak diketahui." copied with
    its period still means the unknown outlet."""
    return " ".join((outlet or "").split()).strip(_COPIED_AROUND).casefold() in UNKNOWN_OUTLET


def article_passes(article: Article, outlet: str | None = None, since: date | None = None,
                   until: date | None = None) -> bool:
    """Whether ``article`` is left by the filters.

    ``outlet`` is a case-insensitive substring of the outlet's name (``ntv`` finds "NTVNews
    (ntvnews.id)"), or one of :data:`UNKNOWN_OUTLET`, which leaves exactly the articles whose outlet
    is unknown (an article whose outlet is unknown matches no name). A date filter leaves out
    articles whose date is unknown: it cannot vouch for them.
    """
    outlet = (outlet or "").strip()
    known = (article.outlet or "").strip()
    if outlet and selects_unknown_outlet(outlet):
        if known:
            return False
    elif outlet and (not known or outlet.casefold() not in known.casefold()):
        return False
    if since or until:
        if article.date is None:
            return False
        when = date.fromisoformat(article.date)
        if (since and when < since) or (until and when > until):
            return False
    return True
