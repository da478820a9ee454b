"""The dev question set (a copy of shared/eval/dev_questions.jsonl) through the real pipeline, and the
boilerplate probes of every question set we have (dev, calibration, held-out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.evaluation import evaluate, leaked, load_questions
from embeddings.service import CoverageService

DATA = Path(__file__).parent / "data"
DEV = load_questions(DATA / "dev_questions.jsonl")
PROBES = [q for name in ("dev", "calibration", "heldout") for q in load_questions(DATA / f"{name}_questions.jsonl")
          if q.leak]


@pytest.fixture(scope="module")
def scores(service: CoverageService):
    return evaluate(DEV, lambda q: service.ask(q))


def test_dev_set_hit_at_3(scores):
    assert scores.rate(scores.hit3, scores.answerable) >= HIT3_BAR, scores.misses


def test_dev_set_answers_what_it_can(scores):
    assert scores.answered == scores.answerable, scores.misses


def test_every_off_topic_question_abstains(scores):
    assert scores.off_topic == 3 and scores.abstained == scores.off_topic, scores.misses


@pytest.mark.parametrize("question", PROBES, ids=lambda q: q.id)
def test_no_boilerplate_leaks(service: CoverageService, question):
    answer = service.ask(question.q, k=20)
    assert leaked(question, answer) == []


def test_every_extract_is_verbatim(scores):
    assert scores.results > 0 and scores.verbatim == scores.results


HIT3_BAR = 0.9
