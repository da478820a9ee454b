"""The dev question set (a copy of shared/eval/dev_questions.jsonl) through the real pipeline, and the
boilerplate probes of every question set we have (dev, calibration, the held-out sets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.evaluation import evaluate, leaked, load_questions
from embeddings.service import CoverageService

DATA = Path(__file__).parent / "data"
DEV = load_questions(DATA / "dev_questions.jsonl")
SETS = ("dev", "calibration", "heldout", "heldout2", "heldout3")
PROBES = [q for name in SETS for q in load_questions(DATA / f"{name}_questions.jsonl") if q.leak]


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
    """A probe asks about a seed's boilerplate (a related headline, a byline, a disclaimer): no result
    shows it. Many probes rightly abstain, which alone would prove nothing, so the index itself is read
    too: each leak string is in a raw seed, yet in no indexed paragraph, section heading or title."""
    answer = service.ask(question.q, k=20)
    assert leaked(question, answer) == []
    raw = [path.read_text(encoding="utf-8") for path in sorted(service.settings.seeds_dir.glob("*.txt"))]
    assert all(any(s in text for text in raw) for s in question.leak)  # the probe is about these seeds
    retriever = service.retriever()
    indexed = [row[field] for row in retriever.paragraphs.values() for field in ("text", "section")]
    indexed += [article.title for article in retriever.articles.values()]
    indexed = [text.casefold() for text in indexed if text]
    assert len(retriever.paragraphs) == 73 and len(retriever.articles) == 5  # the whole index was read
    assert [(s, text) for s in question.leak for text in indexed if s.casefold() in text] == []


def test_every_extract_is_verbatim(scores):
    assert scores.results > 0 and scores.verbatim == scores.results


HIT3_BAR = 0.9
