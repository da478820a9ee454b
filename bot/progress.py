"""The progress bar a long index build shows on stderr (the CLI's ``index``, and a first ``ask``)."""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


class EmbeddingBar:
    """The ``progress`` callback of a build: a click progress bar on stderr, opened at the first
    report of long embedding work (64 texts or more) and closed by ``stack``.

    Its length follows the total: a build whose embedding cache turns out damaged half-way embeds
    everything again and reports a larger total (``embedding_job.embed``), and a bar kept at the first
    total would sit at 100 % until the end.
    """

    MIN_TOTAL = 64

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self.stack = stack
        self.bar: ProgressBar[int] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < self.MIN_TOTAL:
                return
            self.bar = self.stack.enter_context(click.progressbar(length=total, label="Embedding", file=sys.stderr))
        if total > (self.bar.length or 0):
            self.bar.length, self.bar.finished = total, False  # click marks a bar finished at its length
        self.bar.update(done - self.bar.pos)
