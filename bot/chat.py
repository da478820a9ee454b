"""``coverage-bot chat``: questions one after another in a terminal.

The session's filters (``--outlet``/``--since``/``--until``) apply to every question; ``more`` (or
``lagi``) shows the next extracts of the last question, through the service's paging (``offset``),
since ``-k`` cannot be changed inside a session; ``help``, ``/help`` or ``?`` prints what to type, and
``bantuan`` or ``/bantuan`` the same in Indonesian; ``keluar`` quits, as ``exit`` does.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import click

from embeddings.errors import CoverageError
from embeddings.filters import NO_FILTERS, Filters

from .answers import describe_filters, filter_miss_lines, human_answer
from .formatting import word
from .language import detect_lang

if TYPE_CHECKING:
    from embeddings.service import CoverageService

QUIT = frozenset({"", "exit", "quit", ":q", "keluar"})
#: Help words, by the language the help is given in: "bantuan" alone is read as asking for help, not
#: searched (it matched "bantuan militer"); a question about aid says more ("bantuan militer", "Siapa
#: memberi bantuan?"), and "?" or "/help" alone asks nothing the coverage could answer either.
HELP = {"help": "en", "/help": "en", "?": "en", "bantuan": "id", "/bantuan": "id"}
MORE = {"more": "en", "lagi": "id"}

HELP_TEXT = {
    "en": """\
Type a question about the coverage, in Indonesian or English (e.g. "Apa sikap Putin soal Taiwan?").
Each answer quotes up to {k} verbatim {extracts}, each with its outlet and date.
  more (or lagi)                                    the next extracts of the last question
  help, bantuan or ?                                this text
  exit, quit, keluar, :q, an empty line or Ctrl-D   quit
Start chat with -k N for more extracts per answer, and --outlet/--since/--until to filter the coverage.""",
    "id": """\
Ketik pertanyaan tentang liputan, dalam bahasa Indonesia atau Inggris (mis. "Apa sikap Putin soal Taiwan?").
Setiap jawaban mengutip kata per kata hingga {k} kutipan, masing-masing dengan nama media dan tanggalnya.
  lagi (atau more)                                  kutipan berikutnya dari pertanyaan terakhir
  bantuan, help atau ?                              teks ini
  keluar, exit, quit, :q, baris kosong atau Ctrl-D  keluar
Mulai chat dengan -k N untuk lebih banyak kutipan per jawaban, dan --outlet/--since/--until untuk menyaring \
liputan.""",
}

#: The first lines of a session: short, one per language.
GREETING = ('Ask about the coverage. Type "help" for help; an empty line, "exit" or Ctrl-D quits.\n'
            'Tanyakan tentang liputan. Ketik "bantuan" untuk bantuan; baris kosong, "keluar" atau Ctrl-D '
            "untuk keluar.")

_NO_QUESTION = {"en": 'Ask a question first: "more" then shows its next extracts.',
                "id": 'Ajukan pertanyaan dulu: "lagi" lalu menampilkan kutipan berikutnya.'}
_INDEX_CHANGED = {"en": "The index has changed since that question: ask it again.",
                  "id": "Indeks sudah berubah sejak pertanyaan itu: ajukan lagi pertanyaannya."}
_SESSION_FILTERS = {"en": "Filters of this session: {filters}.", "id": "Filter sesi ini: {filters}."}


def _session_filters(filters: Filters, lang: str = "en") -> str:
    """The session's filters, in ``lang`` (``""`` without filters)."""
    return _SESSION_FILTERS[lang].format(filters=describe_filters(filters, lang)) if filters else ""


@dataclass
class ChatSession:
    """One chat: what each question is asked with, and where the last question's extracts stand."""

    service: CoverageService
    k: int
    filters: Filters = NO_FILTERS
    question: str | None = None  #: the last question asked (what "more" continues)
    shown: int = 0  #: how many of its extracts were shown
    more: int = 0  #: how many remain after them
    version: str = ""  #: the index that answered it: a page from another index would not continue it

    def greeting(self) -> str:
        """The first lines: what to do, in English and Indonesian (the question decides the language
        of an answer; before the first one, both are said), and the filters in force."""
        return "\n".join(line for line in (GREETING, _session_filters(self.filters)) if line)

    def reply(self, line: str) -> str:
        """The text for one input line: help (in the language of the word typed), the next extracts, or
        the answer to a new question."""
        command = line.strip().casefold()
        if command in HELP:
            lang = HELP[command]
            usage = HELP_TEXT[lang].format(k=self.k, extracts="extract" if self.k == 1 else "extracts")
            return "\n".join(text for text in (usage, _session_filters(self.filters, lang)) if text)
        if command in MORE:
            return self._next_page(MORE[command])
        answer = self.service.ask(line, self.k, **self.filters.kwargs())
        self.question, self.version = line, answer.index_version
        self.shown, self.more = len(answer.results), answer.more
        return human_answer(self.service, answer, self.filters, in_chat=True)

    def _next_page(self, typed: str) -> str:
        """The next extracts of the last question; what is said instead is in the question's language,
        or, before any question, in the language of the word ``typed`` ("lagi": Indonesian)."""
        if self.question is None:
            return _NO_QUESTION[typed]
        lang = detect_lang(self.question, None)
        if not self.more:
            return word(lang, "no_more")
        answer = self.service.ask(self.question, self.k, offset=self.shown, **self.filters.kwargs())
        if answer.index_version != self.version:
            self.question = None
            return _INDEX_CHANGED[lang]
        self.shown, self.more = self.shown + len(answer.results), answer.more
        if not answer.results:
            return word(lang, "no_more")
        # the question's truncation, and the outlets it names (searched alone, or left out by the filter), were
        # said with its first page
        shown = replace(answer, truncated=False, outlets_named=(), outlets_named_filtered_out=())
        return human_answer(self.service, shown, self.filters, in_chat=True)


def run_chat(service: CoverageService, k: int, filters: Filters = NO_FILTERS) -> None:
    """Read lines until a quit word, an empty line or Ctrl-D. Filters that leave no article stop the
    session before it starts (exit code 1), naming the outlets and dates there are."""
    if filters and not service.sources(**filters.kwargs()):  # said before the model loads
        raise click.ClickException(" ".join(filter_miss_lines(filters, service.sources(), "en")))
    service.embedder  # noqa: B018 - the model loads once, before the first prompt, not on the first question
    if isinstance(sys.stdin, io.TextIOWrapper):
        # A terminal in a UTF-8 locale reads stdin strictly: a Latin-1 line raised UnicodeDecodeError
        # out of input(). Read as the C locale does (lone surrogates), the line is refused as a
        # question that is not UTF-8 (``question.normalize_question``), and the session goes on.
        sys.stdin.reconfigure(errors="surrogateescape")
    session = ChatSession(service, k, filters)
    click.echo(session.greeting())
    while True:
        try:
            line = input("? ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if line.strip().casefold() in QUIT:
            return
        try:
            click.echo(session.reply(line))
        except CoverageError as error:  # one bad question does not end the session
            click.echo(f"Error: {error}", err=True)
        except KeyboardInterrupt:
            click.echo("(interrupted)", err=True)
        click.echo()
