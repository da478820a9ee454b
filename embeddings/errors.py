"""Errors the front ends turn into clear messages (never a traceback for a user)."""


class CoverageError(Exception):
    """Base class: ``str(error)`` is a message fit to show a user or an admin."""


class ConfigError(CoverageError):
    """A setting, or the ``.env`` file holding it, cannot be used; the message says which and why."""


class EmptyQuestion(CoverageError):
    """The question is empty or whitespace only, has no words, or holds bytes that are not UTF-8:
    there is nothing (or nothing certain) to search for."""


class NoCorpus(CoverageError):
    """The seeds directory is missing, or holds no indexable article."""


class IndexBuildError(CoverageError):
    """A (re-)index failed; the previous index generation keeps serving."""


class BuildInProgress(IndexBuildError):
    """Another build holds the build lock (in this process or another): try again when it is done."""


class BuildStopped(IndexBuildError):
    """A build was asked to stop (the bot is shutting down) and stopped between two batches of
    embeddings; what it embedded is kept in the cache, and the previous generation keeps serving."""


class ModelBuildError(CoverageError):
    """The offline embedding model could not be built or failed verification."""


class UnusableDirectory(CoverageError):
    """``DATA_DIR`` or ``MODELS_DIR`` is not a directory we can use (a file, no permission)."""

    def __init__(self, setting: str, path: object, error: OSError) -> None:
        # mkdir(exist_ok=True) on a file says "File exists": the file is the problem, not its existing
        why = "Not a directory" if isinstance(error, FileExistsError) else error.strerror
        super().__init__(f"{setting} {path} is not a usable directory ({why})")
