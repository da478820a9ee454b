"""jusText's verdict on every line of a page: the parameters, the one pass over the whole page (one
``<p>`` per non-blank line, so its context-sensitive step sees each line's neighbours), and a line's
stop-word density as jusText counts it. :mod:`embeddings.cleaning` reads structure off these verdicts
and the named rules; the stop list is the page's language's (:mod:`embeddings.languages`).
"""

from __future__ import annotations

import html

import justext

from .languages import stoplist

#: jusText's defaults, stated explicitly: on the seeds they classify every prose line ``good`` and
#: every chrome line ``bad`` (Indonesian prose has stop-word density ~0.4-0.75; chrome ~0-0.25).
#: ``no_headings`` is moot: every line is a ``<p>``, so jusText never sees an ``<h*>`` element.
JUSTEXT_PARAMS: dict[str, float | int | bool] = {
    "length_low": 70,
    "length_high": 200,
    "stopwords_low": 0.30,
    "stopwords_high": 0.32,
    "max_link_density": 0.2,
    "max_heading_distance": 200,
    "no_headings": False,
}
#: The stop-word density jusText calls prose's on its own (``good``).
GOOD_DENSITY = float(JUSTEXT_PARAMS["stopwords_high"])


def classify(lines: list[str], language: str) -> dict[int, str]:
    """jusText class per non-blank line index, e.g. ``"good"`` or ``"good (short)"`` (the class its
    context step gave, then the one the line had alone when they differ)."""
    indexed = [(i, t) for i, t in enumerate(lines) if t]
    if not indexed:
        return {}
    page = "<html><body>" + "".join(f"<p>{html.escape(t)}</p>" for _, t in indexed) + "</body></html>"
    blocks = justext.justext(page, stoplist(language), preprocessor=lambda dom: dom, **JUSTEXT_PARAMS)
    if len(blocks) == len(indexed):  # one block per <p>, the normal case
        pairs = [(i, b) for (i, _), b in zip(indexed, blocks, strict=True)]
    else:  # lxml dropped or merged something: align by text, leave the rest unclassified
        pending = iter(blocks)
        block, pairs = next(pending, None), []
        for i, t in indexed:
            if block is not None and block.text == " ".join(t.split()):
                pairs.append((i, block))
                block = next(pending, None)
    return {i: b.class_type + ("" if b.cf_class == b.class_type else f" ({b.cf_class})") for i, b in pairs}


def density(text: str, language: str) -> float:
    """The share of ``text``'s whitespace-separated words that are stop words of ``language`` (with
    the punctuation prose puts around them): what jusText judges a line by."""
    words = text.split()
    stops = stoplist(language)
    return sum(w.lower() in stops for w in words) / len(words) if words else 0.0
