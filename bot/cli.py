"""The ``coverage-bot`` command line: thin click wrappers over ``embeddings.service``.

Commands: ``index``, ``ask``, ``sources``, ``chat``, ``clean`` (the admin's boilerplate explainer)
and ``serve`` (the Telegram bot). Errors a user can fix are printed as one clear line, never a
traceback: exit code 2 for bad input (empty question, a date that is not one, reversed dates), 1 for a
corpus or index problem.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec

import click

from embeddings.config import Settings
from embeddings.errors import ConfigError, CoverageError, EmptyQuestion
from embeddings.question import normalize_question
from embeddings.records import IndexReport

from .answers import MAX_K, answer_json, emit_json, filtered_out_note, human_answer, named_filtered_out_note
from .batch import ask_batch, read_batch
from .chat import run_chat
from .filter_options import filter_options, read_filters
from .formatting import citation, truncation_note
from .progress import EmbeddingBar
from .staleness import seed_changes_note

if TYPE_CHECKING:
    from embeddings.service import CoverageService


P = ParamSpec("P")


def _fail(error: CoverageError) -> None:
    click.echo(f"Error: {error}", err=True)
    sys.exit(2 if isinstance(error, EmptyQuestion) else 1)


def handle_errors(func: Callable[P, None]) -> Callable[P, None]:
    """Turn ``CoverageError`` into a one-line message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            func(*args, **kwargs)
        except CoverageError as error:
            _fail(error)

    return wrapper


def _settings(ctx: click.Context) -> Settings:
    """The settings (environment, ``.env``, the group's options), read once, on first use; a ``.env``
    or a folder name that is not UTF-8 is one line (exit 1)."""
    if "settings" not in ctx.meta:
        try:
            ctx.meta["settings"] = ctx.obj()
        except ConfigError as error:
            raise click.ClickException(str(error)) from None
    return ctx.meta["settings"]


def _service(ctx: click.Context) -> CoverageService:
    # Imported here: the service pulls in torch and FAISS, which --help, clean and serve's
    # configuration errors do not need.
    from embeddings.service import CoverageService

    return CoverageService(_settings(ctx), on_model_build=_say_model_build)


def _say_model_build(models_dir: Path) -> None:
    click.echo(f"Building the offline embedding model in {models_dir} (once: about 20 s, 466 MB)…", err=True)


def _ready_service(ctx: click.Context, json_output: bool) -> CoverageService:
    """The service, with an index to answer from: the first run builds it, as does one that finds
    the index another model's or damaged (with progress, the skipped seeds named, and a notice: ours on a
    first run, the service's warning otherwise); if another process is building it right now, this
    waits for that build."""
    from embeddings import generations
    from embeddings.errors import BuildInProgress
    from embeddings.seeds import require_seeds_dir

    service = _service(ctx)
    if service.index_ready():
        return service
    if not service.has_index:  # none yet (another model's, or a damaged one, is rebuilt too: the service warns why)
        require_seeds_dir(service.settings.seeds_dir)  # from the wrong folder: said first, not "building it…"
        pointer = service.settings.data_dir / generations.CURRENT
        click.echo(f"The index {pointer} names is missing: building it again from the seeds…" if pointer.exists()
                   else "No index yet: building it from the seeds (first run only)…", err=True)
    try:
        _echo_skipped(_reindex(service, json_output))
    except BuildInProgress:
        click.echo("Another process is building the index; waiting for it to finish…", err=True)
        generations.wait_for_build(service.settings.data_dir)
        if not service.index_ready():  # that build failed: try once here, and say why if it fails again
            _echo_skipped(_reindex(service, json_output))
    return service


def _reindex(service: CoverageService, json_output: bool, rebuild: bool = False) -> IndexReport:
    """``service.reindex`` with a progress bar on stderr for long embedding work (none with --json),
    closed whether the build ends or fails, so that an error starts on a line of its own."""
    with contextlib.ExitStack() as stack:
        return service.reindex(rebuild=rebuild, progress=None if json_output else EmbeddingBar(stack))


class _CoverageBot(click.Group):
    """The command group; an option of the group typed after the command (``coverage-bot index
    --data-dir X``) says where it goes, rather than only that the command has no such option."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as error:
            if any(error.option_name in option.opts for option in self.params if isinstance(option, click.Option)):
                error.message = (f"{error.message.rstrip('.')} for {ctx.invoked_subcommand}: it is an option of "
                                 f"coverage-bot itself, typed before the command (coverage-bot {error.option_name} "
                                 f"… {ctx.invoked_subcommand} …).")
            raise


@click.group(cls=_CoverageBot)
@click.option("--seeds-dir", type=click.Path(path_type=Path), help="Raw article files (env SEEDS_DIR).")
@click.option("--data-dir", type=click.Path(path_type=Path), help="Where the index lives (env DATA_DIR).")
@click.option("--model", "embedding_model", help="sentence-transformers model id or path (env EMBEDDING_MODEL).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.version_option(package_name="coverage-bot")
@click.pass_context
def cli(ctx: click.Context, seeds_dir: Path | None, data_dir: Path | None, embedding_model: str | None,
        verbose: bool) -> None:
    """Answer questions about a corpus of news coverage with verbatim, cited, dated extracts."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Read when a command first needs them (_settings): a command's --help needs none, and a .env
    # that cannot be read must not hide it.
    ctx.obj = functools.partial(Settings.from_env, seeds_dir=seeds_dir, data_dir=data_dir,
                                embedding_model=embedding_model)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Re-embed everything instead of reusing cached vectors.")
@click.option("--json", "json_output", is_flag=True, help="Print one JSON object.")
@click.pass_context
@handle_errors
def index(ctx: click.Context, rebuild: bool, json_output: bool) -> None:
    """Build or refresh the index from the seeds directory (incremental, atomic)."""
    report = _reindex(_service(ctx), json_output, rebuild)
    if json_output:
        emit_json(report.to_dict())
        return
    click.echo(f"Indexed {_count(report.articles, 'article')}: {_count(report.paragraphs, 'paragraph')} kept, "
               f"{_count(report.dropped_lines, 'line')} dropped as boilerplate or duplicates.")
    click.echo(f"Embedded {_count(report.embedded, 'text')}, reused {report.reused} from cache; "
               f"{_count(report.articles_added, 'article')} added, {report.articles_removed} removed; "
               f"{_count(report.added, 'paragraph')} added, {report.removed} removed; {report.seconds:.2f} s.")
    _echo_skipped(report)


def _count(n: int, noun: str) -> str:
    """``"1 paragraph"``, ``"3 paragraphs"``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _note_seed_changes(service: CoverageService) -> None:
    """Say (on stderr) when the seed files changed since the index was built: ``ask``, ``chat`` and
    ``sources`` answer from the index, and an admin who just dropped a file into seeds/ would
    otherwise take its absence from the answers for the coverage's."""
    if note := seed_changes_note(service.seed_changes(), "en", "`coverage-bot index`"):
        click.echo(f"Note: {note}", err=True)


def _echo_skipped(report: IndexReport) -> None:
    """One line per seed file skipped, and per file that lost some paragraphs to another (a mirror of
    part of an article): its text is not all indexed, and an admin adding it expects it to be."""
    for skipped in report.skipped_files:
        click.echo(f"Skipped {skipped.file}: {skipped.reason}", err=True)
    for repeated in report.repeated_paragraphs:
        click.echo(f"Partly indexed {repeated.file}: {repeated.reason}", err=True)


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "json_output", is_flag=True, help="Print one JSON object per question.")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, MAX_K), help="Results to show.")
@filter_options
@click.option("--batch", type=str, metavar="FILE",
              help="File with one question per line ('-' for stdin); needs --json.")
@click.pass_context
@handle_errors
def ask(ctx: click.Context, question: str | None, json_output: bool, k: int, outlet: str | None,
        since: date | None, until: date | None, batch: str | None) -> None:
    """Ask QUESTION; the first run builds the index if there is none."""
    filters = read_filters(outlet, since, until)
    if batch is not None and question is not None:
        raise click.UsageError("--batch takes no QUESTION (the file holds the questions): use ask --json --batch FILE")
    if batch is not None and not json_output:
        raise click.UsageError("--batch prints one JSON object per line and needs --json: use ask --json --batch FILE")
    if batch is None and question is None:
        raise EmptyQuestion('no question given: coverage-bot ask "Apa sikap Putin soal Taiwan?"')
    if question is not None:
        normalize_question(question)  # an empty question is refused before any model or index work
    questions = read_batch(batch) if batch is not None else None
    if questions == []:  # an empty file: no model or index work for no question (read_batch said so)
        return
    service = _ready_service(ctx, json_output)
    _note_seed_changes(service)
    if questions is not None:
        ask_batch(service, questions, k, filters)
        return
    answer = service.ask(question, k, **filters.kwargs())
    if not json_output:
        click.echo(human_answer(service, answer, filters, asked=k))
        return
    if answer.truncated:
        click.echo(f"Note: {truncation_note('en')}", err=True)
    if answer.filtered_out:
        click.echo(filtered_out_note(service, filters), err=True)
    if note := named_filtered_out_note(answer, filters, "en"):
        click.echo(f"Note: {note}", err=True)
    emit_json(answer_json(answer))


@cli.command()
@click.option("--json", "json_output", is_flag=True, help="Print a JSON list.")
@click.pass_context
@handle_errors
def sources(ctx: click.Context, json_output: bool) -> None:
    """List the indexed articles with outlet, date and title, and say so (on stderr) when the seed
    files changed since the index was built: the list is the index's, not the folder's."""
    service = _ready_service(ctx, json_output)
    articles = service.sources()
    if json_output:
        emit_json([a.to_dict() for a in articles])
    else:
        for a in articles:
            click.echo(f"{a.article_id}  {citation(a, 'en')} ({_count(a.paragraph_count, 'paragraph')})")
    _note_seed_changes(service)


@cli.command()
@click.option("-k", "k", default=3, show_default=True, type=click.IntRange(1, 20), help="Extracts per answer.")
@filter_options
@click.pass_context
@handle_errors
def chat(ctx: click.Context, k: int, outlet: str | None, since: date | None, until: date | None) -> None:
    """An interactive prompt: ask one question after another, the filters applying to each; "more" shows
    the next extracts ("lagi"), "help" what to type ("bantuan"); an empty line, exit, quit, keluar, :q or
    Ctrl-D quits."""
    filters = read_filters(outlet, since, until)
    service = _ready_service(ctx, json_output=False)
    _note_seed_changes(service)
    run_chat(service, k, filters)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--explain", is_flag=True, help="Print every line with keep/drop and the reason.")
@click.pass_context
def clean(ctx: click.Context, file: Path, explain: bool) -> None:
    """Show what cleaning keeps of one raw article FILE (for tuning boilerplate rules); a file in the
    seeds directory is also compared with the other seed files, as index does."""
    from .clean import show_cleaning

    show_cleaning(file, _settings(ctx).seeds_dir, explain)


@cli.command()
@click.pass_context
@handle_errors
def serve(ctx: click.Context) -> None:
    """Run the Telegram bot (long polling; webhook mode when WEBHOOK_URL is set).

    \b
    Settings (environment or .env; see .env.example):
      TELEGRAM_BOT_TOKEN     from @BotFather (required; never logged)
      ADMIN_USER_IDS         comma-separated user ids allowed /reindex and /stats
      RATE_LIMIT_PER_MINUTE  questions and More taps per user a minute (0: none)
      TELEGRAM_API_BASE_URL  a self-hosted Bot API server, ending in /bot
      WEBHOOK_URL            https URL: webhook mode (with WEBHOOK_LISTEN,
                             WEBHOOK_PORT, WEBHOOK_SECRET)
    """
    from .telegram.app import run

    run(_settings(ctx))


def main() -> None:
    cli(prog_name="coverage-bot")
