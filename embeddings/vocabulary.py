"""The words the coverage uses, and the names of a question it never uses.

A name or figure an Indonesian question asks about that appears nowhere in the coverage ("Gaza",
"Alaska", "12 poin") means the coverage does not answer it, however close the topic (see
:mod:`embeddings.relevance`). "Nowhere" means the paragraphs, titles and headings, and also what the
index knows of each article besides its text: its outlet ("Apa kata Gate soal Iran?") and its date
("… pada 19 Juni 2025"). Kept per article, so that a filter narrows it to the coverage it leaves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
from babel.dates import format_date

from .records import Article
from .relevance import MIN_NAME_MATCH
from .text import STOPWORDS, capitalized_first_word, is_ordinary_word, names, stem, word_parts


def article_words(article: Article) -> set[str]:
    """The words of an article's title and outlet, and its date as a question may write it: day,
    month (number, and name in Indonesian and English, long and short), weekday and year."""
    found = set(word_parts(article.title or "")) | set(word_parts(article.outlet or ""))
    if article.date:
        try:
            day = date.fromisoformat(article.date[:10])
        except ValueError:
            return found
        found |= {str(day.day), f"{day.day:02d}", str(day.month), f"{day.month:02d}", str(day.year)}
        for locale in ("id", "en"):
            for pattern in ("MMMM", "MMM", "EEEE", "EEE"):
                found.update(word_parts(format_date(day, pattern, locale=locale)))
    return found


#: Words many outlets' names share: they name none of them.
_GENERIC_OUTLET_WORDS = frozenset("news berita online daily post times com net".split())


def outlet_naming_words(outlet: str | None, named: set[str]) -> set[str]:
    """The words of ``named`` (a question's names, folded, see :func:`text.names`) that name
    ``outlet``, or none: one of its distinctive words ("gate", "qnews", "ntvnews", "cnn" of "CNN
    Indonesia"), or, when it has none, all its words ("kompas" for "Kompas News"; "media" and
    "indonesia" for "Media Indonesia", so that "Siapa presiden Indonesia?" does not name it). Never
    "id" or "news" alone."""
    words = [w for w in word_parts(outlet or "") if len(w) > 2 and "." not in w and w not in STOPWORDS]
    distinctive = {w for w in words if not is_ordinary_word(w) and w not in _GENERIC_OUTLET_WORDS}
    if distinctive:
        return distinctive & named
    specific = {w for w in words if w not in _GENERIC_OUTLET_WORDS}
    return specific if specific and specific <= named else set()


def outlets_named(question: str, articles: Iterable[Article]) -> dict[str, set[str]]:
    """Per article whose outlet ``question`` names, the question's words that name it (see
    :func:`outlet_naming_words`); ``question`` as the coverage writes it (re-cased). Its names count,
    and its first word when capitalized and no ordinary word ("QNews menulis apa?", not "Suara …" or
    "Tempo hari …")."""
    first = {w for w in capitalized_first_word(question) if not is_ordinary_word(w)}
    named = {w for name in names(question) for w in name} | first
    found = {a.article_id: outlet_naming_words(a.outlet, named) or _written_in_capitals(a.outlet, question)
             for a in articles}
    return {article: words for article, words in found.items() if words}


def _written_in_capitals(outlet: str | None, question: str) -> set[str]:
    """The words of an outlet written in capitals ("ANTARA", whose only word is a stop word, "antara":
    between) when the question writes it so too: "Apa kata ANTARA soal Lavrov?" names it, "hubungan
    antara Rusia dan China" and "Hubungan Antara Rusia …" do not."""
    if not outlet or not outlet.isupper() or not _typed_in_capitals(outlet, question):
        return set()
    return set(word_parts(outlet))


def _typed_in_capitals(text: str, question: str) -> bool:
    """Whether ``question`` writes ``text`` in capitals, as a whole word ("ANTARA", "PRC")."""
    return re.search(rf"(?<!\w){re.escape(text.upper())}(?!\w)", question) is not None


def without_words(question: str, folded: set[str]) -> str:
    """``question`` without the words ``folded`` names, in any case, with a domain they may carry
    ("IVOOX.id", "Ntvnews.id")."""
    pattern = "|".join(map(re.escape, sorted(folded)))
    return " ".join(re.sub(rf"(?<!\w)(?:{pattern})(?:\.\w+)?(?!\w)", " ", question, flags=re.IGNORECASE).split())


#: Where a sentence of a question ends: each one's first word is capitalized for being first.
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


class Vocabulary:
    """Every word and stem of the coverage, per article (see the module docstring)."""

    def __init__(self, articles: Mapping[str, Article], paragraphs: Iterable[Mapping[str, str | None]]) -> None:
        """``paragraphs`` are rows with ``article_id``, ``text``, ``stemmed`` and ``section``."""
        self.by_article: dict[str, set[str]] = {a: article_words(article) for a, article in articles.items()}
        for row in paragraphs:
            self.by_article[str(row["article_id"])].update(
                word_parts(row["text"] or ""), (row["stemmed"] or "").split(), word_parts(row["section"] or ""))
        self.all: set[str] = set().union(*self.by_article.values())

    def absent_one_word_names(self, question: str) -> list[str]:
        """The question's one-word names (folded, without a possessive "'s"; letters only: not
        figures, not one letter such as "I") that the coverage never uses in any form. Each
        sentence's first word is capitalized for being first, and is no name."""
        found = []
        for sentence in _SENTENCE_END.split(question):
            for name in names(sentence):
                word = name[0].removesuffix("'s").removesuffix("’s")
                if len(name) == 1 and len(word) > 1 and word.isalpha() and word not in self.all \
                        and stem(word) not in self.all:
                    found.append(word)
        return found

    def names_without_counterpart(self, question: str, qwords: tuple[str, ...], token_best: np.ndarray) -> list[str]:
        """The one-word names of an English question that the coverage never uses
        (:meth:`absent_one_word_names`), when no token of the coverage matches them either
        (:data:`relevance.MIN_NAME_MATCH`): "Gaza", "Macron", "Jakarta". ``qwords`` holds the word
        of each of the question's content tokens, ``token_best`` each one's best match anywhere in
        the coverage (see ``Retriever.evidence``).

        An English question spells the coverage's names its own way, so a name is looked for by its
        token vectors: "Ukraine" finds "Ukraina", "Western" "Barat", "Taipei" "Taiwan" (0.77-0.90),
        where "Gaza" and "Venezuela" find nothing near (0.53-0.62). A name of several words is not
        judged: "Middle" of "Middle East" ("Timur Tengah") matches 0.57-0.61. Nor is an acronym
        ("PRC", 0.63: the coverage writes "RRT", as it writes "PBB" for "UN" and "AS" for "US"), nor a
        word none of whose pieces is a content token (a stop word: "US" read as "us")."""
        found = []
        for name in self.absent_one_word_names(question):
            if _typed_in_capitals(name, question):  # an acronym
                continue
            rows = [i for i, typed in enumerate(qwords) if name in typed.casefold()]
            if rows and float(token_best[rows].max()) < MIN_NAME_MATCH:
                found.append(name)
        return found

    def unknown_names(self, question: str, language: str | None, articles: set[str] | None = None) -> list[str]:
        """The question's names and figures that the coverage of ``articles`` (all without a filter)
        never uses.

        An English question spells names its own way ("Ukraine" for "Ukraina"), so for it only a
        name the whole coverage uses and the filtered part does not counts ("Taiwan" with
        ``--outlet ntv``). An ordinary Indonesian word (see :func:`is_ordinary_word`) is not unknown
        in a name the coverage knows by its distinctive words: "Arab" in "Arab Saudi" where the
        coverage says "Saudi-Iran". A name of ordinary words only must be known word by word:
        "Presiden Indonesia", "Perdana Menteri Inggris" and "Bank Dunia" are not known for
        "Presiden", "Menteri" or "Dunia".
        """
        known = self.all if articles is None else set().union(*(self.by_article[a] for a in articles))

        def absent(w: str, vocabulary: set[str]) -> bool:
            return w not in vocabulary and stem(w) not in vocabulary

        def unknown(w: str, name: tuple[str, ...]) -> bool:
            if not absent(w, known):
                return False
            if language != "id":
                return not absent(w, self.all)
            if not is_ordinary_word(w):
                return True
            distinctive = [o for o in name if o != w and not is_ordinary_word(o)]
            return not (distinctive and not any(absent(o, known) for o in distinctive))

        return [w for name in names(question) for w in name if unknown(w, name)]
