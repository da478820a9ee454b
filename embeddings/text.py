"""Text of questions and paragraphs: words, stop words, Sastrawi stems, language, length limit.

The same functions build the FTS5 ``stemmed`` column at index time and the lexical queries at
question time, so both sides agree on what a word is. Light to import (no model, no index): the
front ends use it for the question rules too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

from .errors import EmptyQuestion

#: Longer questions are cut to this many characters (and the user is told).
MAX_QUESTION_CHARS = 2000

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
)


def question_language(text: str) -> str | None:
    """``"en"`` or ``"id"`` by counting function words, ``None`` when it is not clear.

    Retrieval uses it to weigh lexical evidence (BM25 over Indonesian text helps Indonesian
    questions and misleads English ones); the bot uses it to pick the reply language.
    """
    tokens = words(text)
    english = sum(w in _ENGLISH_MARKERS for w in tokens)
    indonesian = sum(w in _INDONESIAN_MARKERS for w in tokens)
    if english == indonesian:
        return None
    return "en" if english > indonesian else "id"


#: A zero-width space between two letters (see :func:`_zero_width_space`).
_ZWSP_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])\u200b+(?=[^\W\d_])")


def _zero_width_space(match: re.Match[str]) -> str:
    """A zero-width space between letters is a line-break hint copied from a web page, inside a word
    ("Pu\u200btin", "PU\u200bTIN"): removed. Between a lower-case letter and a capital it separates
    two words ("Putin\u200bTaiwan") and stays, to become a space. (Between two lower-case words,
    "soal\u200btaiwan", it cannot be told from a break inside a word: they are joined.)"""
    before, after = match.string[match.start() - 1], match.string[match.end()]
    return match.group() if before.islower() and after.isupper() else ""


def _visible(text: str) -> str:
    """Without invisible characters: a zero-width space inside a word is removed
    (:func:`_zero_width_space`), elsewhere it separates words and becomes a space, as does a control
    character (NUL, escapes); other format characters (BOM, direction marks, soft hyphen, joiners)
    are removed, and so are lone surrogates (bytes that were not UTF-8, as a shell passes them: "\\udcff")."""
    def visible(c: str) -> str:
        kind = unicodedata.category(c)
        return " " if c == "\u200b" or kind == "Cc" else "" if kind in ("Cf", "Cs") else c

    return "".join(map(visible, _ZWSP_BETWEEN_LETTERS.sub(_zero_width_space, text)))


#: An HTML tag pasted along with a question ("<b>Putin</b>"): not words the coverage could answer.
#: Only common tag names, so that "x<y and y>z" stays as typed.
_TAG = re.compile(
    r"</?(?:a|b|i|u|s|em|strong|code|pre|span|div|p|br|font|small|sup|sub|blockquote|h[1-6]|li|ul|ol|"
    r"table|tr|td|img|script|style|tg-spoiler)(?:\s[^<>]{0,200})?\s*/?>",
    re.IGNORECASE,
)


#: A link pasted with a question ("… soal taiwan? https://t.co/abc"): no words the coverage could answer.
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: A script or style element pasted with a question: its content is code, not words of the question.
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^<>]{0,200}>.{0,2000}?</\1\s*>", re.IGNORECASE | re.DOTALL)
#: Markdown emphasis around a word ("**Putin**", "_Taiwan_", "`SCO`", "~~x~~"): the marks at a word's
#: edge go, those inside it ("snake_case", "3*4") stay (so "__init__" reads "init": a question about
#: code is not what the coverage answers).
_EMPHASIS = re.compile(r"(?<!\w)[*_~`]{1,3}(?=\w)|(?<=\w)[*_~`]{1,3}(?!\w)")


def without_tags(question: str) -> str:
    """The question as retrieval reads it: HTML tags (a script's or style's content too), Markdown
    emphasis and links pasted with it removed, and compatibility forms folded (NFKC: fullwidth
    "Ｐｕｔｉｎ" is "Putin"). The answer still echoes the question as typed, tags and all, escaped."""
    text = _TAG.sub(" ", _CODE_ELEMENT.sub(" ", question))
    return " ".join(unicodedata.normalize("NFKC", _EMPHASIS.sub("", _URL.sub(" ", text))).split())


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or a digit outside tags, links and emphasis: "😀", "?!?",
    "<b>😀</b>" and "<script>alert(1)</script>" hold none."""
    return any(c.isalnum() for c in without_tags(text))


def normalize_question(question: str) -> tuple[str, bool]:
    """Drop invisible characters, collapse spaces, refuse it if empty or without a letter or digit
    (:func:`has_words`: emoji, punctuation, a link or tags alone), cut it to ``MAX_QUESTION_CHARS``
    (keeping the question it ends with: :func:`_cut`); returns (text, was_cut)."""
    text = " ".join(_visible(question or "").split())
    if not text:
        raise EmptyQuestion("the question is empty: type a question about the coverage")
    if not has_words(text):  # "😀", "?!?", "*", "<b>😀</b>": nothing to search for
        raise EmptyQuestion("the question has no words: type a question about the coverage in words")
    if len(text) > MAX_QUESTION_CHARS:
        return _cut(text), True
    return text, False


#: A final question longer than this is no question pasted after context: the cut keeps the start.
_FINAL_QUESTION_MAX_CHARS = MAX_QUESTION_CHARS // 4
_GAP = " … "


def _cut(text: str) -> str:
    """``text`` cut to ``MAX_QUESTION_CHARS``: its start, and the question it ends with, if it ends
    with one, after a " … " gap. A journalist pastes an article or notes and asks at the end; cutting
    the end off would search the context and lose the question.

    The question is the sentence of the last "?" (read as :func:`sentences.sentence_spans` reads
    sentences: "the U.S.", "Dr.", "3.5" end none), with what trails it if that holds no words: a
    closing quote, an emoji, a link or a tag. Only the text's tail is read, so a huge text costs no more.
    """
    from .sentences import sentence_spans  # sentences reads words with this module

    tail = text[-(_FINAL_QUESTION_MAX_CHARS + 200):]
    mark = tail.rfind("?")
    if mark < 0 or has_words(tail[mark + 1:]):
        return text[:MAX_QUESTION_CHARS]
    spans = sentence_spans(tail[: mark + 1])
    question = tail[spans[-1][0] if spans else 0:].strip()
    if len(question) > _FINAL_QUESTION_MAX_CHARS or not any(c.isalpha() for c in question):
        return text[:MAX_QUESTION_CHARS]
    return text[: MAX_QUESTION_CHARS - len(question) - len(_GAP)] + _GAP + question


def word_parts(text: str) -> list[str]:
    """:func:`words` and, for hyphenated ones, their parts too: "Saudi-Iran" also gives "saudi"
    and "iran", so a question naming one of them finds it."""
    found = words(text)
    return found + [part for w in found if "-" in w for part in w.split("-") if part]


#: What may wrap a question's word without being part of it: "(Putin", "Taiwan?", "“Gate”".
_EDGE_PUNCTUATION = "?!.,:;\"'“”‘’()[]"


def names(question: str) -> list[tuple[str, ...]]:
    """The names and figures a question is about, each as its folded words: a run of capitalized
    words (not the first word of the question) or words with digits, up to punctuation ("Arab
    Saudi", "Gaza", "12"). Hyphenated ones are split ("Moskow-Beijing"). A lone digit ("… 1",
    "(3)") is too common to say anything and is left out."""
    found: list[list[str]] = [[]]
    for i, raw in enumerate(question.split()):
        token = raw.strip(_EDGE_PUNCTUATION)
        is_name = i > 0 and bool(token) and (token[0].isupper() or any(c.isdigit() for c in token))
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
