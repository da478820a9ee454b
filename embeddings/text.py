"""Words of questions and paragraphs: stop words, Sastrawi stems, FTS queries, language, names,
numbers.

The same functions build the FTS5 ``stemmed`` column at index time and the lexical queries at
question time, so both sides agree on what a word is. Light to import (no model, no index). What a
user typed becomes a question in :mod:`embeddings.question`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)

#: Words that carry no topic in an English question (Sastrawi supplies the Indonesian list).
ENGLISH_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from about as into over after before
    between during under than then so not no nor is are was were be been being do does did done
    have has had having can could will would should shall may might must i you he she it we they me
    him her us them my your his its our their this that these those there here what which who whom
    whose when where why how all any both each few more most other some such only own same too very
    just also again ever still yet s t say said says tell told according news coverage article
    report reported reports""".split()
)

#: Indonesian question and filler words Sastrawi's list lacks.
INDONESIAN_EXTRA_STOPWORDS = frozenset(
    "apa apakah siapa siapakah mengapa kenapa bagaimana kapan dimana mana berapa soal tentang "
    "menurut sikap kata berita".split()
)

#: Words on Sastrawi's list that carry what a question asks, as their English counterparts
#: ("first", "last", "always", "directly", "important") do on ours: order, time, frequency,
#: number, size. Dropped as stop words, "Kapan terakhir kali Putin bertemu langsung dengan Xi…?"
#: kept only its names and ranked the lead paragraph above the one that says "terakhir kali
#: bertemu langsung" (docs/benchmarks.md). "sebelum"/"setelah" stay stop words, like "before"/"after".
INDONESIAN_MEANINGFUL_WORDS = frozenset(
    """akhir akhirnya awal awalnya terakhir pertama pertama-tama kedua kelima satu dua tiga empat lima
    setengah dulu dahulu terdahulu selalu sering lama baru sekarang kini mendatang langsung bulan hari
    besar kecil penting jumlah""".split()
)

_SASTRAWI_STOPWORDS = frozenset(StopWordRemoverFactory().get_stop_words())

STOPWORDS = (_SASTRAWI_STOPWORDS - INDONESIAN_MEANINGFUL_WORDS) | ENGLISH_STOPWORDS | INDONESIAN_EXTRA_STOPWORDS


def fold(text: str) -> str:
    """NFKC, lower case: the form every lexical comparison uses."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """Word tokens (letters and digits; inner hyphens and apostrophes kept), folded."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=1)
def _stemmer():
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Sastrawi stem of one folded word ("mengutuk" -> "kutuk"); cached: Sastrawi is slow."""
    return _stemmer().stem(word) or word


def stemmed_text(text: str) -> str:
    """The text as space-separated stems, for the FTS5 ``stemmed`` column."""
    return " ".join(stem(w) for w in words(text))


def content_words(text: str) -> list[str]:
    """Folded words minus stop words and one-character tokens, in order, without repeats."""
    seen: dict[str, None] = {}
    for w in words(text):
        if len(w) > 1 and w not in STOPWORDS:
            seen.setdefault(w, None)
    return list(seen)


def fts_query(terms: list[str]) -> str | None:
    """An FTS5 MATCH expression that ORs the terms as quoted strings.

    User text never reaches FTS5 as syntax: every term is a double-quoted string (embedded quotes
    doubled), so ``"``, ``-``, ``*``, ``(``, ``NEAR``, ``AND`` are just words. ``None`` if no terms.
    """
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms if t]
    return " OR ".join(quoted) if quoted else None


_ENGLISH_MARKERS = frozenset(
    "what who whom whose did how why the is does are was were to of and in on about when where which "
    "do say said says has have with for from between their there this that".split()
    # English spellings and words an Indonesian question would not use: they tell a keyword question
    # ("Russia China trade", "Xi visit Moscow") without function words.
    + "russia russian moscow ukraine ukrainian chinese american war trade summit visit visited meeting "
    "talks leader leaders president minister foreign relations ties support sanctions".split()
)
_INDONESIAN_MARKERS = frozenset(
    "apa siapa bagaimana yang dan di ke dari mengapa kenapa kapan soal tentang dengan untuk apakah ini "
    "itu sikap dalam saja berapa mana adalah oleh pada atas terhadap antara kedua juga tidak".split()
    + ["ktt"]  # "KTT SCO": an Indonesian acronym the language identifier below reads as English
)
#: A keyword question without function words ("steel friends", "kemitraan tanpa batas") is told by
#: py3langid (langid.py's model, restricted to the two languages) from its ordinary words, when
#: it has two or more and is this sure. Names are left out: they read as either language
#: ("Putin Xi" 0.66 Indonesian, "Ushakov" 0.68 English). Of the 267 questions in tests/data, function
#: words leave 15 open and it decides 13 of them, all right; of 67 a journalist wrote later, 7 of 9.
MIN_IDENTIFIED = 0.9
_LINK = re.compile(r"\S*(?:://|www\.)\S*")


def question_language(text: str) -> str | None:
    """``"en"`` or ``"id"`` by counting function words, or, when they do not tell, by a language
    identifier over the question's ordinary words (see ``MIN_IDENTIFIED``); ``None`` when neither
    is clear.

    Retrieval uses it to weigh lexical evidence (BM25 over Indonesian text helps Indonesian
    questions and misleads English ones); the bot uses it to pick the reply language.
    """
    text = " ".join(t for t in text.split() if t.strip(_EDGE_PUNCTUATION) not in SEARCH_OPERATORS)
    tokens = words(text)  # without "AND", "OR" typed as search operators: "and" is an English marker
    english = sum(w in _ENGLISH_MARKERS for w in tokens)
    indonesian = sum(w in _INDONESIAN_MARKERS for w in tokens)
    if english == indonesian:
        return _identified_language(text)
    return "en" if english > indonesian else "id"


def _identified_language(text: str) -> str | None:
    """py3langid's reading of ``text``'s ordinary words: not its names (see :func:`names`: a first
    word capitalized for being first is read), not figures ("G7"), not links."""
    text = _LINK.sub(" ", text)  # "https", "example", "com" are no English
    named = {w for name in names(text) for w in name}
    ordinary = [w for w in words(text) if w not in named and not any(c.isdigit() for c in w)]
    if len(ordinary) < 2:
        return None
    language, confidence = language_identifier().classify(" ".join(ordinary))
    return language if confidence >= MIN_IDENTIFIED else None


@lru_cache(maxsize=1)
def language_identifier() -> LanguageIdentifier:
    """Loaded on first use (0.9 s, about 75 MB): most questions have function words and never need it;
    the bot loads it at start-up, so that no user's question waits for it in the event loop."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["id", "en"])
    return identifier


def word_parts(text: str) -> list[str]:
    """:func:`words` and, for hyphenated ones, their parts too: "Saudi-Iran" also gives "saudi"
    and "iran", so a question naming one of them finds it."""
    found = words(text)
    return found + [part for w in found if "-" in w for part in w.split("-") if part]


#: What may wrap a question's word without being part of it: "(Putin", "Taiwan?", "“Gate”".
_EDGE_PUNCTUATION = "?!.,:;\"'“”‘’()[]"
#: Search operators typed the way search engines want them ("Putin AND Xi", "Taiwan OR Taipei"):
#: written in capitals, they would read as names the coverage never uses, and a question holding them
#: would abstain.
SEARCH_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def names(question: str) -> list[tuple[str, ...]]:
    """The names and figures a question is about, each as its folded words: a run of capitalized
    words (not the first word of the question, whatever punctuation or numbering comes before it:
    ", Siapa …", "“Siapa …”", "1. Siapa …") or words with digits, up to punctuation ("Arab Saudi",
    "Gaza", "12"). Hyphenated ones are split ("Moskow-Beijing"). A lone digit ("… 1", "(3)") is too
    common to say anything and is left out, and a search operator ends a name (``SEARCH_OPERATORS``)."""
    found: list[list[str]] = [[]]
    started = False  # past the question's first word
    for raw in question.split():
        token = raw.strip(_EDGE_PUNCTUATION)
        is_name = (started and bool(token) and token not in SEARCH_OPERATORS
                   and (token[0].isupper() or any(c.isdigit() for c in token)))
        started = started or any(c.isalpha() for c in token)
        if not is_name or not raw.startswith(token):  # a plain word, or "(", ends the name before it
            found.append([])
        if is_name:
            found[-1] += [part for w in words(token) for part in w.split("-") if part]
            if not raw.endswith(token):  # so does punctuation after it
                found.append([])
    kept = [tuple(w for w in name if not (len(w) == 1 and w.isdigit())) for name in found]
    return [name for name in kept if name]


def capitalized_first_word(question: str) -> list[str]:
    """The folded word(s) of the question's first token when it starts with a capital ("QNews" in
    "QNews menulis apa?"): :func:`names` leaves it out, since every sentence starts so, but an
    outlet named first is still named (see :func:`vocabulary.outlets_named`)."""
    first = next(iter(question.split()), "").strip(_EDGE_PUNCTUATION)
    return words(first) if first[:1].isupper() else []


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Sastrawi's dictionary of Indonesian root words ("arab", "utara", "jalur", "barat"): an
    ordinary word, even when capitalized as part of a name ("Arab Saudi", "Korea Utara")."""
    return frozenset(StemmerFactory().get_words_from_file())


def is_ordinary_word(word: str) -> bool:
    """Whether a folded word is an ordinary Indonesian word: a root of Sastrawi's dictionary, a
    word whose stem is one ("keamanan" -> "aman"), or a word of Sastrawi's stop list ("dulu", which
    its dictionary spells "dahulu"). Names ("gaza", "saudi", "qnews") are not."""
    return word in _SASTRAWI_STOPWORDS or word in dictionary_words() or stem(word) in dictionary_words()


_ASKS_QUANTITY = re.compile(r"\b(berapa|how (many|much)|what percentage)\b", re.IGNORECASE)
#: Numbers in words: cardinals, "setahun"-like spans, and ordinals from the third ("tahun keempat").
#: Not "satu"/"one" ("salah satu", "one of"), "kedua"/"second" ("kedua negara" is "both countries")
#: or "pertama"/"first": they would let nearly any paragraph pass.
_NUMBER_WORDS = re.compile(
    r"\b(dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|sejuta|belasan|"
    r"\w+belas|\w*puluh(an)?|ratus(an)?|ribu(an)?|juta(an)?|miliar(an)?|triliun(an)?|persen|setengah|separuh|"
    r"se(tahun|bulan|minggu|pekan|hari|abad|dekade)|ke(tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh)|"
    r"two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?|billions?|"
    r"trillions?|percent|half|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|decades?)\b",
    re.IGNORECASE,
)


def asks_for_quantity(question: str) -> bool:
    """"Berapa …?", "How many/much …?": the answer is a number ("seberapa", "beberapa" are not asks)."""
    return bool(_ASKS_QUANTITY.search(question))


def states_quantity(text: str) -> bool:
    """Whether ``text`` states a number: digits, or a cardinal in words ("ribuan", "hundreds")."""
    return any(c.isdigit() for c in text) or bool(_NUMBER_WORDS.search(text))
