"""In-page pagination: the widget an article split over pages shows between them ("Halaman" / "1" /
"2" / "Selanjutnya", each on its own line or together, "Page 1 of 2", "Next page"), and the text of the
next page that a scraper saved under it.

The widget is chrome (the rule ``pagination``), but unlike a related-articles list or a copyright
line it does not end the article: what follows it is the article's next page. jusText judges each
line by its stop words and its neighbours, and a page-2 sentence with a pagination widget above and
tags below read as chrome, so the article lost its last page as "after the article body".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .lines import STRAY_MIN_STOPWORDS, story_sentence

#: Words a pagination widget is made of: pages, turning them, "1 of 2" / "1 dari 2".
_PAGE_WORDS = r"halaman|hal\.?|page|selanjutnya|berikutnya|sebelumnya|next|prev|previous|lanjut|dari|of"
#: One piece of a widget: a page number, a widget word, an arrow or a separator.
_PIECE = re.compile(rf"^(?:\d{{1,3}}|(?:{_PAGE_WORDS})\W*|[«»‹›<>→←|/:.…\[\]()]+)$", re.IGNORECASE)
#: A word that names pages ("Halaman", "Page"): a widget with it is one.
_PAGE = re.compile(r"^(?:halaman|hal\.?|page)\W*$", re.IGNORECASE)
#: A word that turns pages: with a page number, a widget ("1" / "2" / "Selanjutnya"); alone, as often a
#: link to the next article ("Selanjutnya" / "Artikel Selanjutnya"), whose headline follows.
_TURN = re.compile(r"^(?:selanjutnya|berikutnya|sebelumnya|next|prev|previous|lanjut)\W*$", re.IGNORECASE)
#: Longest line a widget is: "« Sebelumnya 1 2 3 4 5 Selanjutnya »" fits, a sentence does not.
WIDGET_MAX_CHARS = 60


def _widget_line(text: str) -> bool:
    pieces = text.split()
    return len(text) <= WIDGET_MAX_CHARS and bool(pieces) and all(_PIECE.match(p) for p in pieces)


def widgets(lines: list[str]) -> list[list[int]]:
    """Runs of consecutive lines (blank lines aside) made only of a widget's pieces that make a
    pagination widget: one names pages ("Halaman", "Page 1 of 2", "Next page"), or a page number and a
    word that turns pages ("1" / "2" / "Selanjutnya"). A lone number ("1" over a most-read headline)
    or a lone "Selanjutnya" is none."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i, t in [*((i, t) for i, t in enumerate(lines) if t), (len(lines), "")]:
        if t and _widget_line(t):
            run.append(i)
            continue
        pieces = [p for j in run for p in lines[j].split()]
        if any(_PAGE.match(p) for p in pieces) or (any(p.isdigit() for p in pieces) and any(map(_TURN.match, pieces))):
            runs.append(run)
        run = []
    return runs


def next_pages(lines: list[str], content: list[int], *, rule: dict[int, str | None], credits: set[int],
               density: Callable[[str], float]) -> set[int]:
    """Indexes of the sentences of the article's next page under a pagination widget that jusText
    dropped. Only under a widget with a content paragraph above it (rule lines aside: "Dapatkan berita
    … klik di sini"), and only the lines right under it (other widgets and adverts aside) that are,
    one after the other, a content paragraph or a :func:`embeddings.lines.story_sentence` with a stop-word
    density of ``STRAY_MIN_STOPWORDS`` (not a photo's caption, ``credits`` under it): the first line
    that is neither ends the next page, so a byline, tags, a related-articles list or a copyright
    line still end the article."""
    kept, found = set(content), set()
    filled = [i for i, t in enumerate(lines) if t]
    runs = widgets(lines)
    pages = {i for run in runs for i in run}
    for run in runs:
        above = next((j for j in reversed(filled) if j < run[0] and not rule.get(j)), None)
        if above not in kept:
            continue
        after = [j for j in filled if j > run[-1]]
        for k, j in enumerate(after):
            if j in kept or j in pages or rule.get(j) == "advert":
                continue
            if (rule.get(j) or not story_sentence(lines[j]) or density(lines[j]) < STRAY_MIN_STOPWORDS
                    or (k + 1 < len(after) and after[k + 1] in credits)):
                break
            found.add(j)
    return found
