"""The optional filters of a question: an outlet and a date range, and which articles they leave."""

from __future__ import annotations

from datetime import date

from .records import Article


def article_passes(article: Article, outlet: str | None = None, since: date | None = None,
                   until: date | None = None) -> bool:
    """Whether ``article`` is left by the filters.

    ``outlet`` is a case-insensitive substring of the outlet's name (``ntv`` finds "NTVNews
    (ntvnews.id)"); an article whose outlet is unknown matches no outlet. A date filter leaves out
    articles whose date is unknown: it cannot vouch for them.
    """
    outlet = (outlet or "").strip()
    if outlet and (article.outlet is None or outlet.casefold() not in article.outlet.casefold()):
        return False
    if since or until:
        if article.date is None:
            return False
        when = date.fromisoformat(article.date)
        if (since and when < since) or (until and when > until):
            return False
    return True
