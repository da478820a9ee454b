"""``coverage-bot clean FILE [--explain]``: what cleaning keeps of one raw file, the admin's tool for a
new site's boilerplate.

A file ``index`` would skip or not read at all (a hidden file, another suffix than ``.txt``, one too
large) says why, as ``index`` does, and exits 1. A file in the seeds directory
is also compared with the other seed files, as ``index`` compares them (:func:`seeds.seed_outcome`,
the same code): its kept paragraphs another file keeps instead are marked ``REPEAT (kept by …)`` with
``--explain`` and summed up on one line without; one whose every paragraph is another file's is
skipped by ``index``, so it exits 1 saying so.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from embeddings.cleaning import CleanedArticle, clean_article
from embeddings.cleaning import explain as explain_table
from embeddings.errors import CoverageError
from embeddings.metadata import SIDECAR_NAME
from embeddings.records import SkippedFile
from embeddings.seed_files import name_problem, read_seed
from embeddings.seeds import SeedOutcome, seed_outcome
from embeddings.skip_reasons import say

log = logging.getLogger(__name__)


def show_cleaning(file: Path, seeds_dir: Path, explain: bool) -> None:
    """Print what cleaning keeps of ``file`` (every line's decision with ``explain``), and which of its
    paragraphs ``index`` leaves to another seed file; raise ``ClickException`` (exit 1) for a file
    ``index`` would skip, with its reason."""
    if file.name == SIDECAR_NAME:  # index never reads it as an article either
        raise click.ClickException(f"{file} is the metadata sidecar, not an article page")
    if problem := name_problem(file):  # a hidden file, another suffix, a name not UTF-8: index never reads it
        raise click.ClickException(f"{file}: {say(problem, {})}")
    raw = read_seed(file)
    if not isinstance(raw, str):  # the reason `index` gives when it skips such a seed
        raise click.ClickException(f"{file}: {raw.reason}")
    try:
        cleaned = clean_article(raw)
    except Exception as error:  # as index skips such a file (embeddings.seeds), with the same reason
        log.info("cleaning %s failed", file, exc_info=True)  # the traceback under -v
        raise click.ClickException(f"{file}: {SkippedFile.failed(file.name, error).reason}") from error
    outcome = _seed_outcome(seeds_dir, file, explain) if cleaned.paragraphs else None
    repeats = outcome.repeats if outcome else {}
    if explain:
        click.echo(f"# read with jusText's {cleaned.language} stop list (the densest on the page)")
        for d in cleaned.decisions:
            click.echo(explain_table([d]))
            if d.keep and d.line_no in repeats:  # index leaves it to the file that keeps it
                click.echo(f"{'':>5}  REPEAT (kept by {repeats[d.line_no]})")
    if not cleaned.paragraphs:
        hint = "" if explain else " (--explain shows why each line was dropped)"
        raise click.ClickException(f"{file}: no article text found after cleaning{hint}")
    if not explain:
        _echo_paragraphs(cleaned)
    if outcome is None:
        return
    if isinstance(outcome.result, SkippedFile):  # every paragraph is another file's: index skips it
        raise click.ClickException(f"{file}: {outcome.result.reason}")
    if repeated := outcome.result.repeated():  # the line `index` prints for it
        click.echo(f"\n# Partly indexed: {repeated.reason}")


def _seed_outcome(seeds_dir: Path, file: Path, explain: bool) -> SeedOutcome | None:
    """What ``index`` makes of ``file`` when it is a seed file of ``seeds_dir``; ``None`` when it is
    not (said on stderr with ``--explain``), or when the sidecar cannot be read (said on stderr: the cleaning
    is still worth showing)."""
    try:
        outcome = seed_outcome(seeds_dir, file)
    except CoverageError as error:
        click.echo(f"Note: not compared with the other seed files: {error}", err=True)
        return None
    if outcome is None and explain:  # on stderr: the table stays one row per line of the file
        click.echo(f"Note: not a seed file of {seeds_dir} (a *.txt there): not compared with the seed files", err=True)
    return outcome


def _echo_paragraphs(cleaned: CleanedArticle) -> None:
    """The title, then each kept paragraph under its section heading."""
    click.echo(f"# {cleaned.title or '(no title found)'}")
    section = None
    for p in cleaned.paragraphs:
        if p.section != section:
            section = p.section
            click.echo(f"\n## {section}")
        click.echo(f"\n{p.text}")
