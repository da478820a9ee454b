"""When to answer, and which results to show: the abstention rule, kept apart so it can be read.

A single cosine threshold is fragile (answerable questions' best cosine overlaps off-topic ones',
and English questions over Indonesian text score lower). What separates them better is whether
the *words* of the question find counterparts in the coverage: each content token of the question
is matched to its most similar token anywhere in the corpus (cross-lingual: "aide" finds "ajudan").
"How do I cook beef rendang?" leaves most of its tokens without a counterpart; a question the
coverage answers does not. Thresholds were calibrated on tests/data/dev_questions.jsonl and
tests/data/calibration_questions.jsonl (bench/benchmark.py prints the effect; docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

#: Mean over the question's content tokens of their best match anywhere in the corpus.
MIN_CORPUS_MATCH = 0.745
#: The same, restricted to the top paragraph: the answer itself must speak to the question.
MIN_BEST_MATCH = 0.60
#: A floor on the top paragraph's cosine with the question.
MIN_TOP_COSINE = 0.78
#: A name of an English question that the coverage never uses is unknown (the question abstains)
#: when no token of the coverage matches it this well ("Gaza" 0.59; "Ukraine" 0.90, "Western" 0.77).
MIN_NAME_MATCH = 0.65
#: A result below the top one is shown only if its dense score (z(cosine) + z(late interaction))
#: stands clearly above the question's average paragraph; the top one (of the articles a filter
#: leaves) only if it is above average at all.
MIN_RESULT_DENSE = 1.5
MIN_TOP_DENSE = 0.0
#: Diversity: at most this many paragraphs of one article among the first ``TOP`` results.
PER_ARTICLE_IN_TOP = 2
TOP = 5

T = TypeVar("T")


@dataclass(frozen=True)
class Evidence:
    """What retrieval saw for one question."""

    top_cosine: float  # best paragraph cosine with the question
    corpus_match: float  # mean best token match of the question's content tokens, whole corpus
    best_match: float  # the same within the fused top paragraph
    best_dense: float  # dense score of the fused top paragraph (logged, not used by the rule)
    unknown_names: tuple[str, ...] = ()  # names/numbers the (filtered) coverage never uses; see Vocabulary
    number_missing: bool = False  # "berapa/how many" asked, and the top paragraph states no number


def decide(ev: Evidence) -> bool:
    """Answer only when the question's words have counterparts in the coverage and in the answer,
    the question names nothing the coverage never mentions, and a question asking for a number
    ("Berapa …?", "How many …?") has one in its best paragraph (the nearest paragraph without
    a number does not say how many).

    The names check is strict for Indonesian questions (see :meth:`Vocabulary.unknown_names`): the
    coverage is Indonesian, so a name it uses is spelled the same way in the question ("Gaza",
    "Alaska", "Indonesia" are simply absent), while an English question spells names its own way
    ("Ukraine", "Middle East"); for it, a name a filter leaves out of the coverage counts, and a
    one-word name no token of the coverage matches (:meth:`Vocabulary.names_without_counterpart`).
    """
    return (
        not ev.unknown_names
        and not ev.number_missing
        and ev.corpus_match >= MIN_CORPUS_MATCH
        and ev.best_match >= MIN_BEST_MATCH
        and ev.top_cosine >= MIN_TOP_COSINE
    )


def keep_result(dense: float, is_top: bool) -> bool:
    """Whether a candidate is relevant enough to be shown, once the question is answered."""
    return dense >= (MIN_TOP_DENSE if is_top else MIN_RESULT_DENSE)


def diversify(relevant: list[T], others: list[T], article_of: Callable[[T], str]) -> list[T]:
    """Order results so that the first ``TOP`` hold at most ``PER_ARTICLE_IN_TOP`` paragraphs of
    any one article: the answer shows how different outlets covered the question.

    ``relevant`` results come first, best first; when the cap leaves free places in the top, they
    go to the best of ``others`` (results below the relevance bar but above the question's average
    paragraph, of articles the cap still admits) before the capped results, which follow the top (and
    so enter it when the articles searched cannot fill it: a filter that leaves one or two). So
    scores fall down the list except at those two seams: a filler can score above the relevant
    result before it, and the first capped result above the last of the top.
    """
    top: list[T] = []
    deferred: list[T] = []
    per_article: dict[str, int] = {}

    def place(result: T) -> bool:
        article = article_of(result)
        if len(top) < TOP and per_article.get(article, 0) < PER_ARTICLE_IN_TOP:
            top.append(result)
            per_article[article] = per_article.get(article, 0) + 1
            return True
        return False

    for result in relevant:
        if not place(result):
            deferred.append(result)
    for result in others:
        if len(top) >= TOP:
            break
        place(result)
    return top + deferred


#: Re-ranking for new evidence: the weight of a std of late interaction in fused-score units
#: (calibrated: hit@3 on dev + calibration 0.839 -> 0.885; a larger weight pushes on-topic paragraphs
#: below off-topic ones that merely cover another question word).
NOVELTY_WEIGHT = 0.02


def favour_new_evidence(fused: np.ndarray, own: np.ndarray, spread: float) -> list[tuple[int, float]]:
    """Re-order candidates greedily so that each next result is credited only for the question
    tokens the results before it did not already cover; (candidate index, the score it was chosen
    with) in the new order.

    ``fused`` holds the candidates' fused scores, best first; ``own`` each question token's evidence
    for each candidate (tokens x candidates, see ``Retriever._token_evidence``); ``spread`` the std of
    the summed evidence over all paragraphs, which sets the scale of ``NOVELTY_WEIGHT``. Without
    this, the second and third results tend to repeat the first one's match (every paragraph that
    names "Samarkand") instead of answering the rest of the question ("when did they last meet").
    The first result is unchanged; credit only shrinks as coverage grows, so scores never rise
    down the list.
    """
    scale = NOVELTY_WEIGHT / (spread + 1e-6)
    own_total = own.sum(axis=0)
    left = np.ones(len(fused), dtype=bool)
    covered = np.zeros(own.shape[0])
    chosen: list[tuple[int, float]] = []
    for step in range(len(fused)):
        if step == 0:
            scores, best = fused, 0
        else:
            scores = fused + scale * (np.maximum(own - covered[:, None], 0.0).sum(axis=0) - own_total)
            best = int(np.argmax(np.where(left, scores, -np.inf)))
        left[best] = False
        chosen.append((best, float(scores[best])))
        covered = np.maximum(covered, own[:, best])
    return chosen
