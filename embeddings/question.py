"""What a user typed, made a question: invisible characters, pasted tags, links and emphasis, the
empty and the word-less refused, the over-long cut, and what retrieval reads of a long one (the
question sentences it ends with).

Light to import (no model, no index): the front ends apply the same rules before they ask
(``has_words`` in the bot, ``normalize_question`` in the CLI).
"""

from __future__ import annotations

import re
import unicodedata

from .errors import EmptyQuestion
from .os_text import holds_non_utf8
from .sentences import ELLIPSIS, sentence_spans
from .text import content_words

#: Longer questions are cut to this many characters (and the user is told).
MAX_QUESTION_CHARS = 2000

#: Where an over-long question was cut between its start and the question it ends with
#: (:func:`normalize_question`): the editor's mark for omitted text, which a question does
#: not type itself (a plain "…" it may). A sentence ends there, whatever follows.
CUT_GAP = f" [{ELLIPSIS}] "
#: The gap as retrieval reads it: NFKC (:func:`without_tags`) writes "…" as "...".
_READ_GAP = re.compile(r" \[(?:…|\.\.\.)\] ")


#: A zero-width space between two letters (see :func:`_zero_width_space`).
_ZWSP_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])\u200b+(?=[^\W\d_])")


def _zero_width_space(match: re.Match[str]) -> str:
    """A zero-width space between letters is a line-break hint copied from a web page, inside a word
    ("Pu\u200btin", "PU\u200bTIN"): removed. Between a lower-case letter and a capital it separates
    two words ("Putin\u200bTaiwan") and stays, to become a space. (Between two lower-case words,
    "soal\u200btaiwan", it cannot be told from a break inside a word: they are joined.)"""
    before, after = match.string[match.start() - 1], match.string[match.end()]
    return match.group() if before.islower() and after.isupper() else ""


#: A terminal's colour, cursor or character-set sequence pasted with a question ("\x1b[31m", "\x1b]8;;…\x07",
#: "\x1b(B" of ``tput sgr0``, "\x1b7", the one-byte "\x9b31m"): removed whole, as nothing (``grep --color``
#: colours part of a word: "Tai\x1b[01;31mwan").
_TERMINAL_ESCAPE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|"
                              r"\x1b[()*+][0-9A-Za-z]|\x1b[0-9=>A-Za-z]")


def _visible(text: str) -> str:
    """Without invisible characters: a zero-width space inside a word is removed
    (:func:`_zero_width_space`), elsewhere it separates words and becomes a space, as does a control
    character (NUL, escapes) and a terminal's colour sequence ("\\x1b[31m", whole); other format
    characters (BOM, direction marks, soft hyphen, joiners) are removed."""
    def visible(c: str) -> str:
        kind = unicodedata.category(c)
        return " " if c == "\u200b" or kind == "Cc" else "" if kind == "Cf" else c

    text = _TERMINAL_ESCAPE.sub("", text)
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


def visible_text(question: str) -> str:
    """``question`` as an answer echoes it: invisible characters dropped, spaces (line and paragraph
    separators too) collapsed to one. Empty when nothing is visible."""
    return " ".join(_visible(question or "").split())


def normalize_question(question: str) -> tuple[str, bool]:
    """Drop invisible characters, collapse spaces, refuse it if empty, without a letter or digit
    (:func:`has_words`: emoji, punctuation, a link or tags alone) or holding bytes that are not UTF-8
    (a letter lost unseen would change the question), cut it to ``MAX_QUESTION_CHARS``
    (keeping the question it ends with: :func:`_cut`); returns (text, was_cut)."""
    if holds_non_utf8(question or ""):
        raise EmptyQuestion("the question holds bytes that are not UTF-8 (a terminal set to another encoding?): "
                            "type it again in UTF-8")
    text = visible_text(question)
    if not text:
        raise EmptyQuestion("the question is empty: type a question about the coverage")
    if not has_words(text):  # "😀", "?!?", "*", "<b>😀</b>": nothing to search for
        raise EmptyQuestion("the question has no words: type a question about the coverage in words")
    if len(text) > MAX_QUESTION_CHARS:
        return _cut(text), True
    return text, False


#: A final question longer than this is no question pasted after context: the cut keeps the start.
_FINAL_QUESTION_MAX_CHARS = MAX_QUESTION_CHARS // 4


def _cut(text: str) -> str:
    """``text`` cut to ``MAX_QUESTION_CHARS``: its start, and the question it ends with, if it ends
    with one, after a " […] " gap (:data:`CUT_GAP`). A journalist pastes an article or
    notes and asks at the end; cutting the end off would search the context and lose the question.

    The question is the sentence of the last "?" (read as :func:`sentences.sentence_spans` reads
    sentences: "the U.S.", "Dr.", "3.5" end none), with what trails it if that holds no words: a
    closing quote, an emoji, a link or a tag. Only the text's tail is read, so a huge text costs no more.
    """
    tail = text[-(_FINAL_QUESTION_MAX_CHARS + 200):]
    mark = tail.rfind("?")
    if mark < 0 or has_words(tail[mark + 1:]):
        return text[:MAX_QUESTION_CHARS]
    spans = sentence_spans(tail[: mark + 1])
    question = tail[spans[-1][0] if spans else 0:].strip()
    if len(question) > _FINAL_QUESTION_MAX_CHARS or not any(c.isalpha() for c in question):
        return text[:MAX_QUESTION_CHARS]
    return text[: MAX_QUESTION_CHARS - len(question) - len(CUT_GAP)] + CUT_GAP + question


#: A question longer than this (in words) is read for its question sentences only (see below).
FOCUS_WORDS = 40
#: ... when they hold at least this many content words; else the whole question is read.
FOCUS_MIN_CONTENT_WORDS = 2


def _quoted(sentence: str) -> bool:
    """Inside quoted speech: an opening quote left unclosed, or one the sentence ends with."""
    straight, opened, closed = sentence.count('"'), sentence.count("“"), sentence.count("”")
    return straight % 2 == 1 or opened != closed or sentence.rstrip().endswith(('"', "”"))


def question_focus(question: str) -> str:
    """What retrieval reads of a long question: the "?" sentences it ends with, when they say
    enough on their own; otherwise the whole question.

    A journalist often pastes context before asking ("I read that … . What did Putin say about
    Taiwan?"); every word of the context would weigh as much as the question's and pull the answer
    toward the context, or into "the coverage does not answer". But "What did they say?" needs the
    context's names, a "?" in quoted speech is not the user's question, and a text that ends in a
    request ("Tolong jelaskan …") is read whole, as are short questions. The gap of a cut
    (:data:`CUT_GAP`) ends a sentence even where the start was cut mid-word.
    """
    if len(question.split()) <= FOCUS_WORDS:
        return question
    asked: list[str] = []
    last = _READ_GAP.split(question)[-1]  # not glued to the end of a cut start ("… dan t […] Siapa …?")
    for start, end in reversed(sentence_spans(last)):
        sentence = last[start:end]
        if not sentence.rstrip("!").endswith("?") or _quoted(sentence):
            break
        asked.insert(0, sentence)
    focus = " ".join(asked)
    return focus if len(content_words(focus)) >= FOCUS_MIN_CONTENT_WORDS else question


#: Greetings, requests and thanks around a question, in Indonesian and English: not what it asks.
#: Read as words of the question, they have no counterpart in the coverage and pull a question it
#: answers below the abstention threshold ("Who offered to mediate? Thanks" abstained).
_COURTESY_START = re.compile(
    r"^(?:(?:(?:hi|hello|hey|halo|hai)(?: (?:there|bot|min|kak|gan))?|good (?:morning|afternoon|evening)|"
    r"selamat (?:pagi|siang|sore|malam)|assalamu'?alaikum|permisi|(?:mohon )?maaf|sorry|excuse me|dear bot|"
    r"quick question|one question|a question|for my (?:story|article|report|piece)|"
    r"(?:saya |aku |kak,? )?(?:ingin|mau|pengen|pingin) (?:tahu|tanya|nanya)|(?:boleh|numpang) (?:tanya|nanya)|"
    r"tolong(?: (?:carikan|cari|jelaskan|bantu))?|mohon(?: (?:info|bantuannya|bantu))?|bisa (?:bantu|tolong)|"
    r"please|pls|(?:can|could) you (?:please )?(?:tell me|check|find)|tell me|do you know|"
    r"i(?:'d| would) like to know|i want to know|i wonder|question|pertanyaan)\b(?!-)[\s,.:;!?]*|"
    # a "Q" label, whole: "Q:", "Q.", "Q)", "Q -", "Q&A", "QnA:", "Q/A", "Q1:"; not "Q4 2025", "Q-Siapa"
    r"q(?:\s?(?:&|/|\+|n|and)\s?a)?(?![\w&/+'’-])(?:[\s,.:;!?)]|[-–—](?=\s))*|q\d{1,2}[.:)]\s*|"
    # an honorific or a list number only with the punctuation that sets it apart: "Pak Prabowo" is a name
    r"(?:pak|bu|mas|mbak|kak|min|gan),\s*|\d{1,2}[.)]\s+)+",
    re.IGNORECASE,
)
_COURTESY_END = re.compile(
    r"(?:[\s,.;:!]*\b(?:(?:thanks?|thank (?:you|u)|thx|ty|terima ?kasih|makasih|trims|tq)"
    r"(?: (?:so much|a lot|very much|in advance|banyak|sebelumnya|ya))?|cheers|much appreciated|please|pls|dong)"
    r"\b[\s.!🙏]*)+$",
    re.IGNORECASE,
)


def without_courtesy(question: str) -> str:
    """``question`` without the greeting or request it starts with ("Halo,", "Tolong carikan:",
    "For my story:") and the thanks it ends with ("Terima kasih", "Thanks!"); as it is when that
    would leave no words ("Terima kasih!" alone: see :func:`is_courtesy_only`)."""
    core = _courtesy_stripped(question)
    return core if has_words(core) else question


def is_courtesy_only(question: str) -> bool:
    """Whether ``question`` is a greeting or thanks and nothing else ("Terima kasih", "Halo",
    "Thanks!"): it asks nothing, and the coverage's "sebagai ucapan terima kasih kepada Xi" is no
    answer to it (it was quoted as one)."""
    return has_words(question) and not has_words(_courtesy_stripped(question))


def _courtesy_stripped(question: str) -> str:
    return _COURTESY_END.sub("", _COURTESY_START.sub("", question)).strip()
