"""What a user typed, made a question: a "Q" label before it (``embeddings.question.without_courtesy``),
read for real through the service."""

from __future__ import annotations

import pytest

from embeddings.question import without_courtesy
from embeddings.service import CoverageService

MEDIASI = "Siapa yang menawarkan mediasi?"
TAIWAN = "Putin dan Xi soal Taiwan?"


@pytest.mark.parametrize(("typed", "read"), [
    ("Q&A Putin dan Xi soal Taiwan?", TAIWAN),  # not "&A Putin …": the label goes whole
    ("Q&A: Putin dan Xi soal Taiwan?", TAIWAN),
    ("QnA Putin dan Xi soal Taiwan?", TAIWAN),
    ("QnA: " + MEDIASI, MEDIASI),
    ("Q & A: " + MEDIASI, MEDIASI),
    ("Q/A: " + MEDIASI, MEDIASI),
    ("Q+A " + MEDIASI, MEDIASI),
    ("Q. " + MEDIASI, MEDIASI),
    ("Q: " + MEDIASI, MEDIASI),
    ("Q) " + MEDIASI, MEDIASI),  # not ") Siapa …"
    ("Q - " + MEDIASI, MEDIASI),  # not "- Siapa …"
    ("Q1: " + MEDIASI, MEDIASI),  # a numbered question label
    ("Halo, Q: " + MEDIASI, MEDIASI),
])
def test_a_q_label_before_a_question_is_dropped_whole(typed: str, read: str):
    assert without_courtesy(typed) == read


@pytest.mark.parametrize("kept", [
    "Q4 2025 Putin dan Xi bertemu di mana?",  # a quarter is what the question asks about
    "Q1 2025 ekspor Rusia ke China berapa?",
    "Q-Siapa yang menawarkan mediasi?",
    "Qatar bilang apa soal Iran?",
    "Q&As about Putin?",
    "Q&A",  # nothing else to read
])
def test_a_q_that_is_no_label_stays(kept: str):
    assert without_courtesy(kept) == kept


@pytest.mark.parametrize("typed", ["Q&A: " + MEDIASI, "QnA: " + MEDIASI, "Q1: " + MEDIASI, "Q/A: " + MEDIASI])
def test_a_question_under_a_q_and_a_label_is_answered_as_without_it(service: CoverageService, typed: str):
    """Read as "&A: Siapa …" (or with "QnA", "Q1" as names the coverage never uses), it abstained."""
    plain, labelled = service.ask(MEDIASI), service.ask(typed)
    assert labelled.answered and labelled.question == typed  # the answer echoes the question as typed
    assert [r.paragraph for r in labelled.results] == [r.paragraph for r in plain.results]
