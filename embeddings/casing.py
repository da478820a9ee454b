"""The question written the way the coverage writes its words, before the model reads it.

The embedding model is cased, and its tokenizer splits a word differently after punctuation: "Taiwan"
is one known piece, while "taiwan", "TAIWAN" and "(Taiwan" are split into pieces that match the
coverage's "Taiwan" poorly. Typed in lower case, a question about a name the coverage uses on every
page fell below the abstention threshold ("taiwan" abstained, "Taiwan" was answered). So a question
typed without capitals, or all in capitals, is re-cased from the coverage (each word in the form the
coverage writes it inside sentences: "lavrov" -> "Lavrov", "afp" -> "AFP"), and punctuation in front
of a word is set apart from it. A question the user cased is left as typed: its capitals are theirs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from .text import STOPWORDS

_WORD = re.compile(r"[^\W_]+")
#: Punctuation glued to the front of a word: ``(Taiwan``, ``"Taiwan``, ``#Taiwan``, ``«Putin``.
_LEADING = re.compile(r"(?<!\S)([(\[{\"'“‘«#@]+)(?=[^\W_])")
#: Where a sentence ends, so that the next word's capital says nothing about the word.
_SENTENCE_END = re.compile(r"[.!?:…]\s*[\"'“”‘’«»()]*\s*$")


def case_forms(texts: Iterable[str]) -> dict[str, str]:
    """The form each word is written in inside sentences, for the words the coverage writes with a
    capital ("taiwan" -> "Taiwan", "afp" -> "AFP"); a word's first letter at a sentence start is not
    counted. Words written in lower case, and stop words, are left out: nothing to restore."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        first = len(text) - len(text.lstrip())
        for match in _WORD.finditer(text):
            start = match.start()
            if start <= first or _SENTENCE_END.search(text[max(0, start - 8) : start]):
                continue
            word = match.group()
            seen[word.casefold()][word] += 1
    forms = {}
    for folded, counts in seen.items():
        form = counts.most_common(1)[0][0]
        if form != folded and folded not in STOPWORDS:
            forms[folded] = form
    return forms


def _uncased(question: str) -> bool:
    """No capital after the first letter ("who offered to mediate?", "taiwan"), or nearly all
    capitals ("WHO OFFERED TO MEDIATE?"): the user's casing says nothing about names."""
    letters = [c for c in question if c.isalpha() and c.lower() != c.upper()]
    if len(letters) < 2:
        return True
    upper = sum(c.isupper() for c in letters[1:])
    return upper == 0 or upper >= 0.8 * (len(letters) - 1)


def as_the_coverage_writes(question: str, forms: dict[str, str]) -> str:
    """``question`` re-cased from ``forms`` (see :func:`case_forms`) when it was typed without
    casing, with its first letter capitalized, and with punctuation in front of a word set apart."""
    text = _LEADING.sub(r"\1 ", question)
    if not _uncased(text):
        return text
    text = _WORD.sub(lambda m: forms.get(m.group().casefold(), m.group().lower()), text)
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1 :] if c.islower() else text
    return text
