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

import numpy as np

from .errors import ModelBuildError
from .model import PASSAGE_PROMPT, QUERY_PROMPT, resolve_model, uses_e5_prompts

log = logging.getLogger(__name__)
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

#: Which hidden layer gives the token vectors, as a fraction of depth (10 of 12 for e5-small).
TOKEN_LAYER_FRACTION = 10 / 12
_WORD_CHARS = re.compile(r"\w", re.UNICODE)


class Embedder:
    """Loads the model once; returns L2-normalized vectors: float32 for texts and questions, float16
    for a passage's token vectors (kept per paragraph in every index generation).

    e5 models get e5's prompts (``query: `` for questions, ``passage: `` for paragraphs and
    sentences); other models get the text as it is.
    """

    def __init__(self, name: str, models_dir: Path) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars are noise in a CLI and in logs
        self.name = name
        path = resolve_model(name, models_dir)
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except (OSError, ValueError) as error:  # no such path, no such id (or no internet to fetch it)
            log.debug("cannot load %s", name, exc_info=error)
            raise ModelBuildError(
                f"cannot load the embedding model {name!r}: not a sentence-transformers folder, and not "
                f"a model id that can be downloaded here ({type(error).__name__}). Unset EMBEDDING_MODEL "
                "to use the bundled offline default."
            ) from None
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
        log.info("embedding model %s loaded (dim %d, token layer %d)", name, self.dim, self.token_layer)

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

    def query(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's pooled vector and the token vectors of its content words.

        Tokens of stop words and punctuation are dropped (they match everything); if nothing
        is left, all tokens are kept.
        """
        from .text import STOPWORDS

        vectors, tokens, token_ids = self._forward([question], self.query_prompt, tokens=True)
        pieces = self._model.tokenizer.convert_ids_to_tokens(token_ids[0])
        keep = np.array([_WORD_CHARS.search(p) is not None and _content_piece(w, STOPWORDS)
                         for p, w in zip(pieces, _piece_words(pieces), strict=True)], dtype=bool)
        rows = tokens[0].astype(np.float32)
        if keep.any():
            rows = rows[keep]
        return vectors[0], rows


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
