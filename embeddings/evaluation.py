"""Question sets with expected sources, and the quality numbers computed over them.

A question file is JSON lines: ``{"id", "lang", "q", "expect": [[file_prefix, snippet], ...] | null,
"leak": [strings]?}``. ``expect: null`` means the coverage does not answer it (must abstain, unless
it carries ``leak``: then it may be answered from real article text, never from boilerplate).
Used by the tests (asserting the bar), the benchmark (printing it) and calibration.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .records import Answer, Result
from .sentences import strip_ellipses


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    q: str
    expect: list[tuple[str, str]] | None
    leak: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return self.expect is not None

    def hits(self, result: Result) -> bool:
        """Whether ``result`` is one of the expected paragraphs."""
        return any(result.article_id.startswith(prefix) and snippet in result.paragraph
                   for prefix, snippet in self.expect or [])


def load_questions(path: Path) -> list[Question]:
    """The questions of a JSON-lines set (the dev set's format: ``id``, ``q``, ``expect``, ``lang``,
    ``leak``); blank lines are skipped."""
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            expect = [tuple(pair) for pair in obj["expect"]] if obj.get("expect") is not None else None
            questions.append(Question(obj["id"], obj.get("lang", ""), obj["q"], expect, obj.get("leak", [])))
    return questions


def leaked(question: Question, answer: Answer) -> list[str]:
    """Leak strings found in any part of any result."""
    found = []
    for r in answer.results:
        shown = " ".join(filter(None, [r.paragraph, r.extract, r.title, r.section]))
        found += [s for s in question.leak if s in shown]
    return found


def is_verbatim(result: Result) -> bool:
    """The extract, minus its "…" cut marks, is an exact substring of the verbatim paragraph."""
    core = strip_ellipses(result.extract)
    return bool(core) and core in result.paragraph


@dataclass
class Scores:
    answerable: int = 0
    answered: int = 0
    hit1: int = 0
    hit3: int = 0
    off_topic: int = 0
    abstained: int = 0
    leaks: int = 0
    results: int = 0
    verbatim: int = 0
    misses: list[str] = field(default_factory=list)

    def rate(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    def summary(self) -> dict[str, float]:
        return {
            "hit@1": round(self.rate(self.hit1, self.answerable), 3),
            "hit@3": round(self.rate(self.hit3, self.answerable), 3),
            "answered": round(self.rate(self.answered, self.answerable), 3),
            "abstained_off_topic": round(self.rate(self.abstained, self.off_topic), 3),
            "leaks": self.leaks,
            "verbatim": round(self.rate(self.verbatim, self.results), 3),
        }


def evaluate(questions: Iterable[Question], ask: Callable[[str], Answer]) -> Scores:
    """Ask every question and score the answers (hit@1/3 over answerable questions)."""
    s = Scores()
    for q in questions:
        answer = ask(q.q)
        s.results += len(answer.results)
        s.verbatim += sum(is_verbatim(r) for r in answer.results)
        if found := leaked(q, answer):
            s.leaks += 1
            s.misses.append(f"{q.id} LEAK {found}")
        if q.answerable:
            s.answerable += 1
            s.answered += answer.answered
            top = answer.results
            s.hit1 += bool(top[:1] and q.hits(top[0]))
            s.hit3 += any(q.hits(r) for r in top[:3])
            if not any(q.hits(r) for r in top[:3]):
                s.misses.append(f"{q.id} {'MISS' if answer.answered else 'ABSTAINED'}: {q.q}")
        elif not q.leak:
            s.off_topic += 1
            s.abstained += not answer.answered
            if answer.answered:
                s.misses.append(f"{q.id} ANSWERED OFF-TOPIC: {q.q} -> {answer.results[0].extract[:80]}")
    return s
