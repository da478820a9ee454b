"""The Telegram front end: ``build_application`` (shared by ``serve`` and the tests) and ``run``."""

from .app import build_application, run
from .config import TelegramConfigError, TelegramSettings

__all__ = ["TelegramConfigError", "TelegramSettings", "build_application", "run"]
