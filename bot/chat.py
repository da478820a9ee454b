"""``coverage-bot chat``: questions one after another in a terminal.

The session's filters (``--outlet``/``--since``/``--until``) apply to every question; ``more`` (or
``lagi``) shows the next extracts of the last question, through the service's paging (``offset``),
since ``-k`` cannot be changed inside a session; ``help``, ``/help`` or ``?`` prints what to type.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import click

from embeddings.errors import CoverageError
from embeddings.filters import NO_FILTERS, Filters

from .answers import describe_filters, filter_miss_lines, human_answer
from .formatting import detect_lang, word

if TYPE_CHECKING:
    from embeddings.service import CoverageService

QUIT = frozenset({"", "exit", "quit", ":q"})
HELP = frozenset({"help", "/help", "?"})
MORE = frozenset({"more", "lagi"})

HELP_TEXT = """\
Type a question about the coverage, in Indonesian or English (e.g. "Apa sikap Putin soal Taiwan?").
Each answer quotes up to {k} verbatim {extracts}, each with its outlet and date.
  more (or lagi)                            the next extracts of the last question
  help (or ?)                               this text
  exit, quit, :q, an empty line or Ctrl-D   quit
Start chat with -k N for more extracts per answer, and --outlet/--since/--until to filter the coverage."""

_NO_QUESTION = 'Ask a question first: "more" then shows its next extracts.'
_INDEX_CHANGED = "The index has changed since that question: ask it again."


def _session_filters(filters: Filters) -> str:
    return f"Filters of this session: {describe_filters(filters, 'en')}." if filters else ""


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
        """The first lines: what to do, and the filters in force."""
        lines = ['Ask about the coverage. Type "help" for help; an empty line, "exit" or Ctrl-D quits.',
                 _session_filters(self.filters)]
        return "\n".join(line for line in lines if line)

    def reply(self, line: str) -> str:
        """The text for one input line: help, the next extracts, or the answer to a new question."""
        command = line.strip().casefold()
        if command in HELP:
            usage = HELP_TEXT.format(k=self.k, extracts="extract" if self.k == 1 else "extracts")
            return "\n".join(text for text in (usage, _session_filters(self.filters)) if text)
        if command in MORE:
            return self._next_page()
        answer = self.service.ask(line, self.k, **self.filters.kwargs())
        self.question, self.version = line, answer.index_version
        self.shown, self.more = len(answer.results), answer.more
        return human_answer(self.service, answer, self.filters, in_chat=True)

    def _next_page(self) -> str:
        if self.question is None:
            return _NO_QUESTION
        if not self.more:
            return word(detect_lang(self.question, None), "no_more")
        answer = self.service.ask(self.question, self.k, offset=self.shown, **self.filters.kwargs())
        if answer.index_version != self.version:
            self.question = None
            return _INDEX_CHANGED
        self.shown, self.more = self.shown + len(answer.results), answer.more
        if not answer.results:
            return word(detect_lang(self.question, None), "no_more")
        # the question's truncation, and an outlet it names that the filter leaves out, were said with its first page
        shown = replace(answer, truncated=False, outlets_named_filtered_out=())
        return human_answer(self.service, shown, self.filters, in_chat=True)


def run_chat(service: CoverageService, k: int, filters: Filters = NO_FILTERS) -> None:
    """Read lines until a quit word, an empty line or Ctrl-D. Filters that leave no article stop the
    session before it starts (exit code 1), naming the outlets and dates there are."""
    if filters and not service.sources(**filters.kwargs()):  # said before the model loads
        raise click.ClickException(" ".join(filter_miss_lines(filters, service.sources(), "en")))
    service.embedder  # noqa: B018 - the model loads once, before the first prompt, not on the first question
    session = ChatSession(service, k, filters)
    click.echo(session.greeting())
    while True:
        try:
            line = input("? ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if line.strip().lower() in QUIT:
            return
        try:
            click.echo(session.reply(line))
        except CoverageError as error:  # one bad question does not end the session
            click.echo(f"Error: {error}", err=True)
        except KeyboardInterrupt:
            click.echo("(interrupted)", err=True)
        click.echo()
