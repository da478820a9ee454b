"""The question written the way the coverage writes its words, before the model reads it.

The embedding model is cased, and its tokenizer splits a word differently after punctuation: "Taiwan"
is one known piece, while "taiwan", "TAIWAN" and "(Taiwan" are split into pieces that match the
coverage's "Taiwan" poorly. Typed in lower case, a question about a name the coverage uses on every
page fell below the abstention threshold ("taiwan" abstained, "Taiwan" was answered). So a question
typed without capitals, or all in capitals, is re-cased from the coverage (each word in the form the
coverage writes it inside sentences: "lavrov" -> "Lavrov", "afp" -> "AFP"), and punctuation in front
of a word is set apart from it. A word the coverage never uses and no ordinary word is written as the
name it must be ("gaza" -> "Gaza"), so that the check for names the coverage never uses
(:mod:`embeddings.vocabulary`) sees it. A question the user cased is left as typed: its capitals are
theirs. Before all that, a name typed in another script that the coverage writes in Latin letters is
written so ("Путин" -> "Putin", "Pútin" -> "Putin"): the model reads it poorly, and the unknown-name
check not at all.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

from anyascii import anyascii

from .text import STOPWORDS, is_ordinary_word, question_language, stem

_WORD = re.compile(r"[^\W_]+")
#: Punctuation glued to the front of a word: ``(Taiwan``, ``"Taiwan``, ``#Taiwan``, ``«Putin``.
_LEADING = re.compile(r"(?<!\S)([(\[{\"'“‘«#@]+)(?=[^\W_])")
#: Where a sentence ends, so that the next word's capital says nothing about the word.
_SENTENCE_END = re.compile(r"[.!?:…]\s*[\"'“”‘’«»()]*\s*$")


def case_forms(texts: Iterable[str], names: Iterable[str] = ()) -> dict[str, str]:
    """The form each word is written in inside sentences, for the words the coverage writes with a
    capital ("taiwan" -> "Taiwan", "afp" -> "AFP"); a word's first letter at a sentence start is not
    counted. ``names`` (the outlets) count as written. Words written in lower case, and stop words,
    are left out: nothing to restore."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        first = len(text) - len(text.lstrip())
        for match in _WORD.finditer(text):
            start = match.start()
            if start <= first or _SENTENCE_END.search(text[max(0, start - 8) : start]):
                continue
            word = match.group()
            seen[word.casefold()][word] += 1
    for name in names:
        for word in _WORD.findall(name):
            seen[word.casefold()][word] += 1
    forms = {}
    for folded, counts in seen.items():
        form = counts.most_common(1)[0][0]
        if form != folded and folded not in STOPWORDS:
            forms[folded] = form
    return forms


def _typing(question: str) -> str:
    """How the question was typed: ``"cased"`` (a capitalized word after the first: the user marked
    names), ``"shouted"`` (nearly all capitals) or ``"lower"`` (no capitalized word after the first;
    an acronym typed in capitals, "apa kata AS soal taiwan", does not make it cased)."""
    letters = [c for c in question if c.isalpha() and c.lower() != c.upper()]
    if len(letters) >= 2 and sum(c.isupper() for c in letters[1:]) >= 0.8 * (len(letters) - 1):
        return "shouted"
    later = _WORD.findall(question)[1:]
    return "cased" if any(w[0].isupper() and any(c.islower() for c in w[1:]) for w in later) else "lower"


#: The syllables of a transliteration: anyascii capitalizes each Chinese one ("XiJinPing").
_SYLLABLE = re.compile(r"[A-Z][a-z]*|[a-z]+")


def _latin_words(word: str, known: Collection[str]) -> list[str] | None:
    """``word`` (in another script) as the coverage's words in Latin letters, or ``None`` when any
    part is not one: its transliteration split into syllables, each run of them joined as long as it
    makes a known word ("Путин" -> "Putin", "习近平" -> "Xi" + "Jinping", "王毅" -> "Wang" + "Yi")."""
    pieces = _SYLLABLE.findall(anyascii(word).replace("'", ""))  # "Тайвань" -> "Tayvan'": no soft sign
    words: list[str] = []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            if (candidate := "".join(pieces[start:end])).casefold() in known:
                words.append(candidate)
                start = end
                break
        else:
            return None
    return words or None


def in_latin_letters(question: str, forms: dict[str, str], known: Collection[str]) -> str:
    """``question`` with each word the coverage does not use, typed in another script or with accents,
    replaced by the coverage's spelling when it writes it in plain Latin letters ("Apa sikap Путин soal
    Taiwan?" -> "… Putin …", "Pútin" -> "Putin"); other words stay as typed ("détente" is the
    coverage's own)."""
    def latin(match: re.Match[str]) -> str:
        word = match.group()
        if word.isascii() or word.casefold() in known:
            return word
        found = _latin_words(word, known)
        return " ".join(forms.get(w.casefold(), w) for w in found) if found else word

    return _WORD.sub(latin, question)


def as_the_coverage_writes(question: str, forms: dict[str, str], known: Collection[str] = frozenset()) -> str:
    """``question`` re-cased when it was typed without casing (see :func:`_typing`), with its first
    letter capitalized, and with punctuation in front of a word set apart.

    Re-casing writes each word as the coverage does (``forms``, see :func:`case_forms`); keeps an
    acronym typed in capitals; and, unless the question is English, capitalizes a word that is
    neither in ``known`` (the coverage's words and stems) nor an ordinary Indonesian word, as the
    name it must be ("gaza" -> "Gaza"), so that the check for names the coverage never uses sees
    it as it would have in a cased question.
    """
    text = _LEADING.sub(r"\1 ", in_latin_letters(question, forms, known))
    typing = _typing(text)
    if typing == "cased":
        return text
    mark_names = question_language(text) != "en"

    def recase(match: re.Match[str]) -> str:
        word = match.group()
        folded = word.casefold()
        if folded in forms:
            return forms[folded]
        if typing == "lower" and len(word) > 1 and word.isupper():
            return word
        if (mark_names and folded.isalpha() and folded not in STOPWORDS and folded not in known
                and stem(folded) not in known and not is_ordinary_word(folded)):
            return folded.capitalize()
        return folded

    text = _WORD.sub(recase, text)
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1 :] if c.islower() else text
    return text
