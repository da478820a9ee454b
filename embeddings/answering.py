"""One question read against one index generation: what retrieval searches for, where, and the
:class:`Answer` it makes (the service's :meth:`~embeddings.service.CoverageService.ask` chooses the
generation, normalizes the question and rebuilds a damaged one).

Tags and courtesy are left out of what is searched ("Terima kasih" alone asks nothing), a long text
is read for its question sentences, and outlets the question names narrow the search to their
articles, unless an explicit outlet filter says where to look.
"""

from __future__ import annotations

from datetime import date

from .filters import Filters
from .question import is_courtesy_only, question_focus, without_courtesy, without_tags
from .records import Answer
from .retrieval import Retriever


def answer(retriever: Retriever, text: str, truncated: bool, *, k: int, offset: int, outlet: str | None,
           since: date | None, until: date | None, mode: str) -> Answer:
    """The answer to the normalized question ``text`` from ``retriever`` (see the module docstring;
    the arguments are :meth:`CoverageService.ask`'s)."""
    allowed = retriever.allowed(outlet, since, until)
    version = retriever.version
    if allowed is not None and not allowed.any():
        return Answer(question=text, answered=False, truncated=truncated, filtered_out=True, index_version=version)
    bare = without_tags(text)
    if is_courtesy_only(bare):  # "Terima kasih" asks nothing: no paragraph that says it answers it
        return Answer(question=text, answered=False, truncated=truncated, index_version=version)
    read = question_focus(without_courtesy(bare))  # what retrieval reads; the answer echoes ``text``
    narrowed, without_outlets, named = retriever.narrowed_to_named_outlets(read, allowed)
    read = without_outlets  # an outlet's name says where to look, not a word to find
    left_out: tuple[str, ...] = ()
    if Filters(outlet):  # an explicit outlet filter (a blank one is none) wins over the names
        kept = {a.outlet for a in retriever.filtered_articles(outlet)}
        left_out, named = tuple(name for name in named if name not in kept), ()
    else:
        allowed = narrowed
    answered, results, more = retriever.search(read, k=max(1, k), offset=max(0, offset), allowed=allowed,
                                               mode=mode)
    return Answer(question=text, answered=answered, results=results, truncated=truncated, more=more,
                  outlets_named=named, outlets_named_filtered_out=left_out, index_version=version)

