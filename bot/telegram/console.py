"""What ``serve`` says on the console: log filters that keep the token, tracebacks and HTML pages
out of the log, and the one-line error for a start that failed (a token Telegram rejects, a server
that is not a Bot API, a network that does not reach it).
"""

from __future__ import annotations

import ast
import logging
import re

from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

from .config import DEFAULT_API_BASE_URL, TelegramConfigError, TelegramSettings, without_tokens

#: How much of an answer that is not the Bot API's (an HTML page) an error or the log quotes, on one line.
EXCERPT_CHARS = 100
#: python-telegram-bot's error for an answer that is not JSON: raised as it is for a 2xx answer, as
#: the cause of the status's error (``NetworkError``, ``InvalidToken``…) for another one.
_NOT_JSON = "Invalid server response"
#: The status's error for an answer that is not JSON: "Not Implemented (501). Parsing the server
#: response b'<!DOCTYPE HTML>…' failed".
_UNPARSED_ANSWER = re.compile(r"^(?P<status>.*?)\. Parsing the server response (?P<body>b(['\"]).*\3) failed$", re.S)


def telegram_loggers() -> list[logging.Logger]:
    """python-telegram-bot's loggers: any of their records can carry the API URL, and so the token.

    A filter on a logger sees only the records logged on that logger itself, not those its children
    pass up, so each one is listed: "telegram.Bot", "telegram.ext.Updater", but also "telegram.ext"
    (its retry loop logs a failed call's exception there) and "telegram.request.HTTPXRequest". They
    are created when python-telegram-bot is imported, which this module has done.
    """
    names = {"telegram", "telegram.ext"}
    names.update(n for n in logging.root.manager.loggerDict if n.startswith("telegram."))
    return [logging.getLogger(n) for n in sorted(names)]


class RedactTokenFilter(logging.Filter):
    """Replace the bot token in a log record (message, arguments and traceback) by ``<token>``.

    Belt and braces: ``httpx`` (which logs request URLs containing the token) is already held at
    WARNING, but an exception text could still carry a URL.
    """

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


class StartupFailureFilter(logging.Filter):
    """Drop python-telegram-bot's traceback for a failed start (token rejected, API unreachable, an
    answer that is not the Bot API's): :func:`run` reports the same failure as one clear line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        failed = isinstance(error, InvalidToken | NetworkError) or (
            isinstance(error, TelegramError) and answer_not_json(error)
        )
        return not (failed and "Bootstrap" in record.getMessage())


class ShortInvalidJsonFilter(logging.Filter):
    """A server that is not a Bot API (a wrong ``TELEGRAM_API_BASE_URL``) answers HTML: keep
    python-telegram-bot's "Can not load invalid JSON data" to one line with a short excerpt of the
    answer (see :func:`excerpt`), without the whole page or its traceback."""

    PREFIX = "Can not load invalid JSON data"

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(self.PREFIX):
            answer = message[len(self.PREFIX) :].lstrip(": ").removeprefix('"').removesuffix('"')
            record.msg, record.args = f"{self.PREFIX} (not a Telegram Bot API answer): %r", (excerpt(answer),)
            record.exc_info = record.exc_text = None
        return True


def excerpt(text: str, token: str | None = None) -> str:
    """The start of ``text`` on one line, without tokens (redacted before it is cut, so no piece of
    one is left), at most :data:`EXCERPT_CHARS` long: enough to recognise a page, not to dump it."""
    if token:
        for secret in (token, token.partition(":")[2]):  # the secret part: a server may encode the ':'
            text = text.replace(secret, "<token>")
    line = " ".join(without_tokens(text).split())
    return line if len(line) <= EXCERPT_CHARS else line[: EXCERPT_CHARS - 1] + "…"


def answer_not_json(error: TelegramError) -> bool:
    """Whether ``error`` comes from an answer python-telegram-bot could not read as JSON: the Bot API
    always answers JSON, so the server is not one (or a proxy answered in its place)."""
    return any(isinstance(e, TelegramError) and e.message == _NOT_JSON for e in _causes(error))


def _causes(error: BaseException) -> list[BaseException]:
    """``error`` and the errors it was raised from: python-telegram-bot wraps a failed ``getMe`` in
    ``InvalidToken("The token … was rejected")``, raised from the status's error, itself raised from
    the parse failure."""
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__  # type: ignore[assignment]
    return chain


def quiet_token_loggers(token: str) -> None:
    """``httpx`` logs every request URL — which contains the token — at INFO: keep it at WARNING.
    python-telegram-bot's own loggers print the API URL at DEBUG: redact the token from them, so
    even a program that embeds :func:`build_application` at DEBUG never logs it."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for target in telegram_loggers():
        if not any(isinstance(f, RedactTokenFilter) and f.token == token for f in target.filters):
            target.addFilter(RedactTokenFilter(token))
    requests = logging.getLogger("telegram.request.BaseRequest")
    if not any(isinstance(f, ShortInvalidJsonFilter) for f in requests.filters):
        requests.addFilter(ShortInvalidJsonFilter())


def configure_logging(token: str) -> None:
    """Console logging for ``serve`` with the token redacted from every record (the CLI has set up
    the root logger; a caller of :func:`run` from Python that has not gets a console one)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in root.handlers:
        handler.addFilter(RedactTokenFilter(token))
    logging.getLogger("telegram.ext").addFilter(StartupFailureFilter())
    if logging.getLogger("bot").level == logging.NOTSET:
        logging.getLogger("bot").setLevel(logging.INFO)  # user ids, timings, answered or not — even under -v off


def startup_error(error: TelegramError, tg_settings: TelegramSettings) -> TelegramConfigError | None:
    """The one-line console error for a start that failed with ``error``, never with the token (nor
    an HTML page); ``None`` for an error this does not explain (:func:`run` raises it as it is)."""
    if answer_not_json(error):
        return _not_bot_api(error, tg_settings)
    if isinstance(error, InvalidToken):
        # PTB's message quotes the token: it is not shown. Telegram answers 401/404 for a bad token;
        # so does a server that is not a Bot API.
        also = ("" if tg_settings.api_base_url == DEFAULT_API_BASE_URL else
                f" (or TELEGRAM_API_BASE_URL {tg_settings.api_base_url} is not a Bot API server)")
        return TelegramConfigError(
            f"Telegram rejected TELEGRAM_BOT_TOKEN{also}: copy it again from @BotFather (/mybots → API Token)."
        )
    detail = without_tokens(str(error).replace(tg_settings.token, "<token>"))
    if isinstance(error, BadRequest):  # reached, but refused: most often the webhook URL
        setting = "WEBHOOK_URL" if tg_settings.webhook_url else "the bot's settings"
        return TelegramConfigError(f"the Telegram Bot API refused to start the bot ({detail}): check {setting}.")
    if isinstance(error, NetworkError):
        return TelegramConfigError(
            f"cannot reach the Telegram Bot API at {tg_settings.api_base_url} ({detail}): check the network, "
            "or TELEGRAM_API_BASE_URL if you run your own Bot API server."
        )
    return None


def _not_bot_api(error: TelegramError, tg_settings: TelegramSettings) -> TelegramConfigError:
    """The server at ``TELEGRAM_API_BASE_URL`` answered something that is not JSON (an HTML page):
    say so, with its status and an :func:`excerpt` of the answer, not the whole page."""
    answer = "an answer that is not JSON"
    found = next(filter(None, (_UNPARSED_ANSWER.match(str(e)) for e in _causes(error))), None)
    if found:
        try:
            body = ast.literal_eval(found["body"]).decode("utf-8", "replace")
        except (ValueError, SyntaxError, AttributeError):  # not the bytes' repr after all
            body = found["body"]
        answer = f"{found['status']}: {excerpt(body, tg_settings.token)!r}"
    url = tg_settings.api_base_url
    if url == DEFAULT_API_BASE_URL:
        return TelegramConfigError(
            f"the answer from {url} was not the Telegram Bot API's ({answer}): check the network "
            "(a proxy or a captive portal in the way?)."
        )
    return TelegramConfigError(
        f"TELEGRAM_API_BASE_URL {url} is not a Telegram Bot API server ({answer}): point it at your Bot API "
        "server, or unset it to use Telegram's."
    )
