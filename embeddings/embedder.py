"""Sentence-transformers behind a small interface: pooled vectors, and token vectors for late interaction.

One forward pass gives both the sentence embedding (mean pooling, L2-normalized: what FAISS
searches) and the contextual token vectors of an upper-middle layer. Token vectors of a
multilingual encoder align words across languages ("aide" with "ajudan"), which is what lets an
English question find the one Indonesian paragraph that says the thing it asks about; the
retrieval module matches them token by token (late interaction).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .config import DEFAULT_MODEL
from .errors import ModelBuildError
from .identity import cached_hub_revision, hub_identity, hub_repo_id, is_hub_id, is_local_folder, model_identity
from .model import PASSAGE_PROMPT, QUERY_PROMPT, resolve_model, uses_e5_prompts

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

#: Which hidden layer gives the token vectors, as a fraction of depth (10 of 12 for e5-small).
TOKEN_LAYER_FRACTION = 10 / 12
_WORD_CHARS = re.compile(r"\w", re.UNICODE)
#: Seconds the one hub request (does this id exist, at which commit) may take before the hub is unreachable.
HUB_TIMEOUT = 10.0
_UNSET_HINT = "Unset EMBEDDING_MODEL to use the bundled offline default."


def _hub_warnings_logged_once() -> None:
    """Let ``huggingface_hub``'s warnings reach the application's logging once, not twice.

    ``huggingface_hub`` (2.x, as 0.x did) puts its own ``StreamHandler`` on its root logger *and*
    lets records propagate, so with the CLI's ``logging.basicConfig`` every warning (e.g. "Retrying in
    8s [Retry 5/5]") was printed twice: raw, then as a log line. Its handler is removed; the records
    still propagate (to the CLI's and the bot's handlers, at their level), or reach Python's last-resort
    handler on stderr when the application configured none, so nothing is lost.
    """
    hub_logger = logging.getLogger("huggingface_hub")
    for handler in list(hub_logger.handlers):
        if type(handler) is logging.StreamHandler:  # the library's default; never one an application added
            hub_logger.removeHandler(handler)


def _cannot_load(name: str, reason: str, path: str | None = None) -> ModelBuildError:
    """The one-line error, with the fix: for the default model (``path``: its built folder, damaged
    by hand or by a disk), deleting the folder so it is built again, not unsetting what is unset."""
    fix = (f"Delete {path} and it is built again on the next run." if name == DEFAULT_MODEL and path
           else _UNSET_HINT)
    return ModelBuildError(f"cannot load the embedding model {name!r}: {reason}. {fix}")


def _load(name: str, models_dir: Path) -> tuple[SentenceTransformer, str]:
    """The ``SentenceTransformer`` for ``EMBEDDING_MODEL`` ``name`` and its identity.

    The default and a local folder are loaded from disk (the folder's identity is taken first, so a
    folder replaced while it loads is not recorded as what was loaded). A hub id fails fast when it
    cannot be had:

    1. A snapshot in the local cache is loaded with ``local_files_only=True``: no network at all (and
       a cached model is not silently replaced by a newer upstream commit: its vectors would no longer
       match the cache's; remove it from the Hugging Face cache, or download the new one, to update).
    2. Otherwise one request asks the hub for the id's current commit (``model_info``, which
       ``huggingface_hub`` does not retry). An unreachable hub, an unknown or private id, or
       ``HF_HUB_OFFLINE`` is a one-line ``ModelBuildError`` at once. Without this step,
       sentence-transformers 6 asks for ``modules.json``, ``adapter_config.json`` and ``config.json``
       in turn, and ``hf_hub_download`` (huggingface_hub 2.4) retries each network failure five times
       with backoff (1+2+4+8+8 s, its ``max_retries`` is not configurable from outside): 75-80 s of
       "Retrying in 8s" on a machine without the hub.
    3. With the hub answering, the model is downloaded at that commit, as before (the library's retries
       then only cover a transient failure of a reachable hub).
    """
    from sentence_transformers import SentenceTransformer

    path = resolve_model(name, models_dir)
    if name == DEFAULT_MODEL or is_local_folder(name):
        identity = model_identity(name)
        try:
            return SentenceTransformer(path, device="cpu"), identity
        except (OSError, ValueError) as error:
            log.debug("cannot load %s", name, exc_info=error)
            raise _cannot_load(name, f"not a sentence-transformers folder ({type(error).__name__}: {error})",
                               path) from None
    if not is_hub_id(name):
        raise _cannot_load(name, "no such folder, and not a Hugging Face model id")
    commit = cached_hub_revision(name)
    if commit is not None:
        try:
            model = SentenceTransformer(name, device="cpu", revision=commit, local_files_only=True)
            return model, hub_identity(name, commit)
        except (OSError, ValueError) as error:  # an incomplete snapshot: fetch what is missing
            log.info("%s@%s is not complete in the local cache (%s); asking the hub", name, commit, error)
    commit = _hub_commit(name)
    try:
        return SentenceTransformer(name, device="cpu", revision=commit), hub_identity(name, commit)
    except (OSError, ValueError) as error:
        log.debug("cannot load %s", name, exc_info=error)
        raise _cannot_load(name, f"the hub has it, but it did not load ({type(error).__name__}: {error})") from None


def _hub_commit(name: str) -> str:
    """The current commit of hub id ``name``, from one request that is not retried; a one-line
    ``ModelBuildError`` saying why when there is none to be had (see :func:`_load`)."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import OfflineModeIsEnabled, RepositoryNotFoundError

    repo_id = hub_repo_id(name)
    try:
        info = HfApi().model_info(repo_id, timeout=HUB_TIMEOUT)
    except OfflineModeIsEnabled:
        raise _cannot_load(name, "not in the local Hugging Face cache, and HF_HUB_OFFLINE is set") from None
    except RepositoryNotFoundError:
        raise _cannot_load(name, "no such folder, and no such model on the Hugging Face hub "
                                 "(or it is private or gated)") from None
    except Exception as error:  # the transport's errors (their class names vary by version), a 5xx
        log.debug("hub request for %s failed", repo_id, exc_info=error)
        raise _cannot_load(name, "no such folder, not in the local Hugging Face cache, and the hub cannot be "
                                 f"reached to download it ({type(error).__name__})") from None
    if not info.sha:
        raise _cannot_load(name, "the hub gave no commit for it")
    return info.sha


class Embedder:
    """Loads the model once; returns L2-normalized vectors: float32 for texts and questions, float16
    for a passage's token vectors (kept per paragraph in every index generation).

    e5 models get e5's prompts (``query: `` for questions, ``passage: `` for paragraphs and
    sentences); other models get the text as it is.

    ``name`` is the model's identity (see :func:`identity.model_identity`), the key of its cached vectors
    and what an index records; ``model_name`` is ``EMBEDDING_MODEL`` as configured. For the default
    the two are the same string.
    """

    def __init__(self, name: str, models_dir: Path) -> None:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars are noise in a CLI and in logs
        _hub_warnings_logged_once()
        #: ``EMBEDDING_MODEL`` as configured (what e5 prompts are decided on).
        self.model_name = name
        self._model, identity = _load(name, models_dir)
        #: The model's identity (:func:`identity.model_identity`): what the embedding cache is keyed by and
        #: what an index generation records as its ``model``. The default's is its plain name; a local
        #: folder's adds a fingerprint of its files, a hub id's the commit loaded, so a model replaced
        #: under the same name never shares vectors or an index with the one it replaced.
        self.name = identity
        self._model.eval()
        self.dim = int(self._model.get_embedding_dimension())
        config = self._model[0].auto_model.config
        config.output_hidden_states = True
        self.token_layer = round(config.num_hidden_layers * TOKEN_LAYER_FRACTION)
        e5 = uses_e5_prompts(name)
        self.query_prompt = QUERY_PROMPT if e5 else ""
        self.passage_prompt = PASSAGE_PROMPT if e5 else ""
        tokenizer = self._model.tokenizer
        self._prompt_tokens = {
            p: len(tokenizer(p, add_special_tokens=False)["input_ids"]) if p else 0
            for p in (self.query_prompt, self.passage_prompt)
        }
        # torch modules are not documented as safe for concurrent calls: one at a time.
        self._lock = threading.Lock()
        log.info("embedding model %s loaded (dim %d, token layer %d)", identity, self.dim, self.token_layer)

    def _forward(self, texts: list[str], prompt: str,
                 tokens: bool) -> tuple[np.ndarray, list[np.ndarray], list[list[int]]]:
        """Pooled vectors; with ``tokens``, each text's token vectors and token ids (prompt and
        special tokens removed)."""
        import torch

        # The fast tokenizer is shared state (its padding settings change per call): tokenize
        # inside the lock too, not only the forward pass.
        with self._lock, torch.inference_mode():
            features = self._model.preprocess([prompt + t for t in texts])
            out = self._model.forward(features)
        pooled = torch.nn.functional.normalize(out["sentence_embedding"], dim=-1).numpy().astype(np.float32)
        if not tokens:
            return pooled, [], []
        layer = out["all_layer_embeddings"][self.token_layer]
        layer = torch.nn.functional.normalize(layer, dim=-1).numpy()
        mask = features["attention_mask"].numpy().astype(bool)
        ids = features["input_ids"].numpy()
        skip = 1 + self._prompt_tokens[prompt]  # the start token and the prompt's tokens
        rows, token_ids = [], []
        for i in range(len(texts)):
            rows.append(layer[i][mask[i]][skip:-1].astype(np.float16))  # drop the end token too
            token_ids.append(ids[i][mask[i]][skip:-1].tolist())
        return pooled, rows, token_ids

    def _batched(self, texts: list[str], prompt: str, tokens: bool,
                 batch_size: int = 16) -> tuple[np.ndarray, list[np.ndarray]]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        vectors, token_rows = [], []
        for i in range(0, len(texts), batch_size):
            v, t, _ = self._forward(texts[i : i + batch_size], prompt, tokens)
            vectors.append(v)
            token_rows += t
        return np.vstack(vectors), token_rows

    def passages(self, texts: list[str]) -> np.ndarray:
        """Pooled vectors of paragraphs or sentences."""
        return self._batched(texts, self.passage_prompt, tokens=False)[0]

    def passage_tokens(self, texts: list[str]) -> list[np.ndarray]:
        """Per text, its normalized token vectors (float16, one row per token)."""
        return self._batched(texts, self.passage_prompt, tokens=True)[1]

    def query(self, question: str) -> QueryEncoding:
        """The question's pooled vector and the token vectors of its content words, with the word
        (as typed, between spaces) each token is a piece of.

        Tokens of stop words and punctuation are dropped (they match everything); if nothing
        is left, all tokens are kept.
        """
        from .text import STOPWORDS

        vectors, tokens, token_ids = self._forward([question], self.query_prompt, tokens=True)
        pieces = self._model.tokenizer.convert_ids_to_tokens(token_ids[0])
        words = _piece_words(pieces)
        keep = np.array([_WORD_CHARS.search(p) is not None and _content_piece(w, STOPWORDS)
                         for p, w in zip(pieces, words, strict=True)], dtype=bool)
        rows = tokens[0].astype(np.float32)
        if not keep.any():
            keep[:] = True
        return QueryEncoding(vectors[0], rows[keep], tuple(w for w, kept in zip(words, keep, strict=True) if kept))


class QueryEncoding(NamedTuple):
    """What :meth:`Embedder.query` makes of a question."""

    vector: np.ndarray  #: the pooled, normalized question vector
    tokens: np.ndarray  #: one row per content token
    words: tuple[str, ...]  #: for each row, the word it is a piece of ("Moscow's" for "▁Moscow")


def _piece_words(pieces: list[str]) -> list[str]:
    """For each token piece, the whole word it belongs to.

    Sentencepiece marks a word's first piece with "▁"; WordPiece marks continuations with "##".
    """
    sentencepiece = any(p.startswith("▁") for p in pieces)
    groups: list[list[int]] = []
    for i, piece in enumerate(pieces):
        starts = piece.startswith("▁") if sentencepiece else not piece.startswith("##")
        if starts or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    out = [""] * len(pieces)
    for group in groups:
        word = "".join(pieces[i].lstrip("▁").removeprefix("##") for i in group)
        for i in group:
            out[i] = word
    return out


def _content_piece(word: str, stopwords: frozenset[str]) -> bool:
    folded = word.casefold()
    return bool(_WORD_CHARS.search(folded)) and folded not in stopwords and len(folded) > 1
