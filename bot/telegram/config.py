"""Telegram settings from the environment (or a ``.env`` file, read by ``embeddings.config``).

The token is a secret: it is validated here with an error that never echoes it, kept out of the
dataclass ``repr``, and never logged anywhere in the bot. Every other value an error quotes goes
through :func:`without_tokens` first (a token pasted into the wrong variable is not printed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from embeddings.config import load_env_file
from embeddings.errors import CoverageError

TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
#: A token-shaped piece anywhere in a value (a base URL pasted with the token on its end), its ':'
#: percent-encoded or not (a URL a server echoes).
_TOKEN_PIECE = re.compile(r"\d+(?::|%3[Aa])[A-Za-z0-9_-]{30,}")
#: How much of a malformed value an error quotes (one console line).
_ECHO_CHARS = 80
#: Telegram's rule for ``setWebhook``'s ``secret_token``.
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_RATE_LIMIT = 10
#: The webhook's own settings: without ``WEBHOOK_URL`` (long polling) they have no effect.
WEBHOOK_ONLY_SETTINGS = ("WEBHOOK_LISTEN", "WEBHOOK_PORT", "WEBHOOK_SECRET")


class TelegramConfigError(CoverageError, ValueError):
    """A Telegram setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class TelegramSettings:
    """Everything the Telegram front end needs besides the core's ``Settings``."""

    token: str = field(repr=False)
    admin_user_ids: frozenset[int] = frozenset()
    api_base_url: str = DEFAULT_API_BASE_URL
    base_file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT
    #: ``WEBHOOK_LISTEN``/``WEBHOOK_PORT``/``WEBHOOK_SECRET`` set without ``WEBHOOK_URL``: they have no
    #: effect, and ``serve`` warns about them (a webhook set up by half is otherwise silently polling).
    unused_webhook_settings: tuple[str, ...] = ()

    @property
    def webhook_path(self) -> str:
        """The path the webhook listens on: ``WEBHOOK_URL``'s, without its leading "/" ("" without one)."""
        return urlsplit(self.webhook_url or "").path.lstrip("/")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TelegramSettings:
        """Read ``TELEGRAM_BOT_TOKEN`` (required), ``ADMIN_USER_IDS``, ``TELEGRAM_API_BASE_URL``,
        ``WEBHOOK_URL``/``WEBHOOK_LISTEN``/``WEBHOOK_PORT``/``WEBHOOK_SECRET`` and
        ``RATE_LIMIT_PER_MINUTE``. With ``environ=None`` the environment is read, after the ``.env``
        (the cwd's, or the nearest parent folder's) has filled the variables it has unset or empty:
        read once with the core's settings, as UTF-8 with or without a byte-order mark.

        Raises :class:`TelegramConfigError` with a message fit for the console (and the core's
        ``ConfigError`` for a ``.env`` that cannot be read).
        """
        if environ is None:
            load_env_file()  # from the cwd up, not the package's
            environ = os.environ
        env = {k: v.strip() for k, v in environ.items() if isinstance(v, str)}
        base_url = parse_base_url(env.get("TELEGRAM_API_BASE_URL") or DEFAULT_API_BASE_URL)
        webhook_url = parse_webhook_url(env.get("WEBHOOK_URL") or None)
        return cls(
            token=parse_token(env.get("TELEGRAM_BOT_TOKEN")),
            admin_user_ids=parse_admin_ids(env.get("ADMIN_USER_IDS", "")),
            api_base_url=base_url,
            base_file_url=file_url_for(base_url),
            webhook_url=webhook_url,
            webhook_listen=env.get("WEBHOOK_LISTEN") or "127.0.0.1",
            webhook_port=_parse_int(env.get("WEBHOOK_PORT") or "8443", "WEBHOOK_PORT", minimum=1, maximum=65535),
            webhook_secret=parse_webhook_secret(env.get("WEBHOOK_SECRET") or None),
            rate_limit_per_minute=_parse_int(
                env.get("RATE_LIMIT_PER_MINUTE") or str(DEFAULT_RATE_LIMIT),
                "RATE_LIMIT_PER_MINUTE",
                minimum=0,
            ),
            unused_webhook_settings=() if webhook_url else tuple(n for n in WEBHOOK_ONLY_SETTINGS if env.get(n)),
        )


def parse_token(value: str | None) -> str:
    """Validate the BotFather token shape without ever putting the value in the error."""
    if not value:
        raise TelegramConfigError(
            "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather (/newbot), then put "
            "TELEGRAM_BOT_TOKEN=<the token> in the environment or in .env."
        )
    if not TOKEN_RE.match(value):
        raise TelegramConfigError(
            "TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<at least 30 letters, digits, _ or ->' "
            "as issued by @BotFather (check for quotes, spaces or a truncated copy)."
        )
    return value


def parse_admin_ids(value: str) -> frozenset[int]:
    """``"123, 456"`` → ``{123, 456}``; empty → no admins (``/reindex`` and ``/stats`` refused).

    A user id is positive: a negative one is a group's or a channel's, which never sends a command.
    """
    ids: set[int] = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            user_id = int(part)
        except ValueError:
            raise TelegramConfigError(
                f"ADMIN_USER_IDS must be comma-separated numeric Telegram user ids, {_got(part)}."
            ) from None
        if user_id <= 0:
            raise TelegramConfigError(
                "ADMIN_USER_IDS must list Telegram user ids, which are positive (a negative id is a "
                f"group's or a channel's), {_got(part)}."
            )
        ids.add(user_id)
    return frozenset(ids)


def parse_base_url(value: str) -> str:
    """The Bot API base URL, ending in ``/bot`` (the token is appended to it by python-telegram-bot)."""
    url = value.rstrip("/")
    with_token = bool(_TOKEN_PIECE.search(value))  # refused even before a final '/bot': it would be echoed
    if not _is_url(url, ("http", "https")) or not url.endswith("/bot") or with_token:
        hint = " without the token (it is added from TELEGRAM_BOT_TOKEN)" if with_token else ""
        raise TelegramConfigError(
            f"TELEGRAM_API_BASE_URL must be an http(s) URL ending in '/bot'{hint}, "
            f"e.g. {DEFAULT_API_BASE_URL} or http://127.0.0.1:8081/bot; {_got(value)}."
        )
    return url


def _is_url(value: str, schemes: tuple[str, ...]) -> bool:
    """Whether ``value`` is a URL with one of ``schemes``, a host, and a port (if any) in 0–65535.

    ``urlsplit`` raises ``ValueError`` for a bracket left open (``http://[::1/bot``), and ``.port``
    for a port out of range or not a number: checked here, or the URL would fail only when used.
    """
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  # raises ValueError for a bad port
    except ValueError:
        return False
    return parts.scheme in schemes and bool(parts.hostname)


def without_tokens(value: str) -> str:
    """``value`` with anything shaped like a bot token replaced, fit to echo in an error or a log."""
    return _TOKEN_PIECE.sub("<token>", value)


def _got(value: str) -> str:
    """``got '<value>'`` for an error: without tokens (a token pasted into the wrong variable is never
    printed) and cut to fit a console line."""
    shown = without_tokens(value)
    if len(shown) > _ECHO_CHARS:
        shown = shown[: _ECHO_CHARS - 1] + "…"
    return f"got {shown!r}"


def file_url_for(base_url: str) -> str:
    """``https://api.telegram.org/bot`` → ``https://api.telegram.org/file/bot``."""
    return base_url[: -len("/bot")] + "/file/bot"


def parse_webhook_url(value: str | None) -> str | None:
    """``WEBHOOK_URL`` must be an https URL (Telegram only delivers webhooks over TLS)."""
    if value is None:
        return None
    if not _is_url(value, ("https",)):
        raise TelegramConfigError(f"WEBHOOK_URL must be an https:// URL, {_got(value)}.")
    return value


def parse_webhook_secret(value: str | None) -> str | None:
    """``WEBHOOK_SECRET``: 1–256 characters of ``A-Z a-z 0-9 _ -`` (Telegram refuses anything else).
    A secret: the error never echoes the value."""
    if value is None:
        return None
    if not WEBHOOK_SECRET_RE.fullmatch(value):
        raise TelegramConfigError(
            "WEBHOOK_SECRET is malformed: Telegram accepts 1 to 256 characters, each a letter, digit, "
            "'_' or '-' (check for quotes, spaces or other symbols), or leave it unset for a random "
            "secret per run."
        )
    return value


def _parse_int(value: str, name: str, *, minimum: int, maximum: int | None = None) -> int:
    """``value`` as an integer in ``minimum``–``maximum``; the error quotes it without tokens."""
    try:
        number = int(value)
    except ValueError:
        raise TelegramConfigError(f"{name} must be an integer, {_got(value)}.") from None
    if number < minimum:
        raise TelegramConfigError(f"{name} must be at least {minimum}, {_got(value)}.")
    if maximum is not None and number > maximum:
        raise TelegramConfigError(f"{name} must be at most {maximum}, {_got(value)}.")
    return number
