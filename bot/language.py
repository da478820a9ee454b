"""The reply language, and numbers written the way that language writes them.

Both front ends answer in Indonesian or English (:func:`detect_lang`); every number a user reads goes
through :func:`format_count` or :func:`format_seconds`, so an Indonesian text says ``1.234 artikel``
and ``1,5 detik`` where English says ``1,234 articles`` and ``1.5 s`` (Babel's locale data, as for dates).
A number the user types back (``-k 6``) is never formatted: ``-k 1.000`` would not parse.
"""

from __future__ import annotations

from typing import Literal

from babel.numbers import format_decimal

from embeddings.text import question_language

Lang = Literal["id", "en"]

#: Seconds with one decimal; two below a tenth of a second (a no-change re-index takes 0.05 s).
SECONDS_PATTERN, SHORT_SECONDS_PATTERN = "#,##0.0", "#,##0.0#"


def resolve_lang(lang: str | None) -> Lang:
    """``"en"`` for any English code (``en``, ``en-GB``), else ``"id"``: the one rule both text tables
    (:mod:`bot.formatting`'s words and :mod:`bot.telegram.messages`) use."""
    return "en" if (lang or "").lower().startswith("en") else "id"


def detect_lang(text: str, telegram_language_code: str | None) -> Lang:
    """Pick the reply language: English for a user whose Telegram is set to English (``en*``) or
    who asks in English, else Indonesian (the issue's rule).

    The question's language is :func:`question_language`'s (function words, or a language identifier
    for a keyword question); a wrong guess only changes the labels around the verbatim extracts,
    never the evidence.
    """
    english = question_language(text or "") == "en" or resolve_lang(telegram_language_code) == "en"
    return "en" if english else "id"


def format_count(value: int, lang: str) -> str:
    """A whole number with the language's thousands separator: ``12.345`` (id), ``12,345`` (en)."""
    return format_decimal(value, locale=resolve_lang(lang))


def format_seconds(value: float, lang: str) -> str:
    """A duration in seconds with the language's decimal mark: ``1,0`` (id), ``1.0`` (en); two decimals
    below a tenth of a second, so a quick re-index does not read as ``0,0``."""
    pattern = SHORT_SECONDS_PATTERN if abs(value) < 0.1 else SECONDS_PATTERN
    return format_decimal(value, format=pattern, locale=resolve_lang(lang))
