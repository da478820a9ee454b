"""Build and run the Telegram bot.

:func:`build_application` is the single code path shared by ``coverage-bot serve`` (via
:func:`run`) and the tests (which drive it against a local fake Bot API server): it configures the
API URLs, Telegram flood limits (``AIORateLimiter``), the command menu (``post_init``), the handlers
and the error handler. :func:`run` adds the service, logging and long polling (or a webhook).
"""

from __future__ import annotations

import logging
import secrets
from collections import OrderedDict
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from telegram import MessageEntity
from telegram.constants import UpdateType
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from embeddings.config import Settings
from embeddings.errors import BuildInProgress, NoCorpus

from . import admin, handlers, paging
from .config import DEFAULT_API_BASE_URL, TelegramConfigError, TelegramSettings
from .ratelimit import UserRateLimiter

if TYPE_CHECKING:  # the service module loads the model stack: imported at run time only in run()
    from embeddings.service import CoverageService

logger = logging.getLogger(__name__)

#: Updates the bot asks Telegram for (everything it has a handler for).
ALLOWED_UPDATES = [UpdateType.MESSAGE, UpdateType.EDITED_MESSAGE, UpdateType.CALLBACK_QUERY]
#: How many updates are handled at once (questions wait on the model in worker threads).
CONCURRENT_UPDATES = 8
#: How often a call Telegram answers with "retry after N seconds" (flood control) is tried again
#: before the reply is given up (python-telegram-bot's default is 0: the first 429 loses the answer).
FLOOD_RETRIES = 3
#: How often one user is sent the same fixed reply in a chat a minute: the sticker, edit, unknown-command and
#: "slow down" notices everywhere, and in groups /start, /help, /sources and the hints (replies.once_a_minute).
NOTICES_PER_MINUTE = 1


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
    """Drop python-telegram-bot's traceback for a failed start (token rejected, API unreachable):
    :func:`run` reports the same failure as one clear line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, InvalidToken | NetworkError) and "Bootstrap" in record.getMessage())


class ShortInvalidJsonFilter(logging.Filter):
    """A server that is not a Bot API (a wrong ``TELEGRAM_API_BASE_URL``) answers HTML: keep
    python-telegram-bot's "Can not load invalid JSON data" to one line, without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Can not load invalid JSON data"):
            record.exc_info = record.exc_text = None
        return True


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


async def post_init(application: Application) -> None:
    """Register the command menu (Indonesian by default, English for ``en`` users), without the
    admin commands."""
    await admin.register_user_menu(application.bot)  # admins get theirs on /start (admin.py)
    logger.info("bot @%s ready (commands registered)", application.bot.username)


def register_handlers(application: Application) -> None:
    """One handler per update kind; edits never re-trigger commands (``UpdateType.MESSAGE``)."""
    new = filters.UpdateType.MESSAGE
    commands = {
        "start": handlers.start_command,
        "help": handlers.help_command,
        "ask": handlers.ask_command,
        "sources": handlers.sources_command,
        "reindex": admin.reindex_command,
        "stats": admin.stats_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=new))
    application.add_handler(CallbackQueryHandler(paging.more_callback, pattern=r"^more:"))
    application.add_handler(CallbackQueryHandler(paging.unknown_callback))  # e.g. another version's buttons
    application.add_handler(
        MessageHandler(
            new & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, handlers.private_text_message
        )  # fmt: skip
    )
    application.add_handler(
        MessageHandler(
            new
            & filters.ChatType.GROUPS
            & filters.TEXT
            & ~filters.COMMAND
            & filters.Entity(MessageEntity.MENTION),
            handlers.group_mention_message,
        )  # fmt: skip
    )
    application.add_handler(
        MessageHandler(new & filters.ChatType.PRIVATE & filters.ATTACHMENT, handlers.non_text_message)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE, handlers.edited_message)
    )
    application.add_handler(MessageHandler(new & filters.COMMAND, handlers.unknown_command))
    application.add_error_handler(handlers.error_handler)


def build_application(service: CoverageService, tg_settings: TelegramSettings) -> Application:
    """The bot, ready for ``initialize()/start()/updater.start_polling()`` — or ``run_polling()``.

    The one code path ``serve`` and the tests share. Holds the token-logging ``httpx`` loggers at
    WARNING and redacts the token from python-telegram-bot's own (see :func:`quiet_token_loggers`).
    """
    quiet_token_loggers(tg_settings.token)
    application = (
        Application.builder()
        .token(tg_settings.token)
        .base_url(tg_settings.api_base_url)
        .base_file_url(tg_settings.base_file_url)
        .rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .build()
    )
    application.bot_data.update(
        service=service,
        settings=tg_settings,
        limiter=UserRateLimiter(tg_settings.rate_limit_per_minute),
        notices=UserRateLimiter(NOTICES_PER_MINUTE),
        questions=OrderedDict(),
        counters={"answered": 0, "abstained": 0},
        reindex_running=False,
    )
    register_handlers(application)
    return application


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


def run(core_settings: Settings) -> None:
    """``coverage-bot serve``: read the Telegram settings, open the index, then long-poll (or serve a
    webhook when ``WEBHOOK_URL`` is set) until interrupted.

    A token Telegram rejects, an API it cannot reach at start or that refuses the webhook, is a
    :class:`TelegramConfigError` (one line on the console, never the token). An unusable
    ``DATA_DIR``/``MODELS_DIR`` or a model that cannot be built stops it the same way (the core's
    own error, raised before polling starts), and so does a first build that fails (a typo in
    ``sources.toml``): started, the bot could only tell every user that the coverage is not
    available, while the admin at the console can fix it at once. Only a missing corpus (seeds to
    come; an admin can ``/reindex``) or a build another process is running lets the bot start
    without an index.
    """
    from embeddings.service import CoverageService  # imported here: loads the model stack

    tg_settings = TelegramSettings.from_env()
    configure_logging(tg_settings.token)
    service = CoverageService(core_settings)
    service.embedder  # noqa: B018  # the model first: a model or directory error stops serve here
    try:  # the index (building it if there is none) before the first user waits
        service.retriever()
    except (NoCorpus, BuildInProgress) as error:  # no seeds yet, or another process is building: start
        # anyway (an admin can /reindex). A failed build, a model or directory error stops it (raised).
        logger.warning("no index to serve yet (%s); an admin can /reindex once seeds are in place", error)
    application = build_application(service, tg_settings)
    try:
        _serve(application, tg_settings)
    except InvalidToken:
        # PTB's message quotes the token: replace it, and drop the chained traceback that holds it.
        # Telegram answers 401/404 for a bad token; so does a server that is not a Bot API.
        also = ("" if tg_settings.api_base_url == DEFAULT_API_BASE_URL else
                f" (or TELEGRAM_API_BASE_URL {tg_settings.api_base_url} is not a Bot API server)")
        raise TelegramConfigError(
            f"Telegram rejected TELEGRAM_BOT_TOKEN{also}: copy it again from @BotFather (/mybots → API Token)."
        ) from None
    except BadRequest as error:  # reached, but refused: most often the webhook URL
        detail = str(error).replace(tg_settings.token, "<token>")
        setting = "WEBHOOK_URL" if tg_settings.webhook_url else "the bot's settings"
        raise TelegramConfigError(
            f"the Telegram Bot API refused to start the bot ({detail}): check {setting}."
        ) from None
    except NetworkError as error:
        detail = str(error).replace(tg_settings.token, "<token>")
        raise TelegramConfigError(
            f"cannot reach the Telegram Bot API at {tg_settings.api_base_url} ({detail}): check the network, "
            "or TELEGRAM_API_BASE_URL if you run your own Bot API server."
        ) from None
    except OSError as error:
        if not tg_settings.webhook_url:
            raise
        raise TelegramConfigError(  # the webhook's port: in use, or not ours to bind
            f"cannot listen on {tg_settings.webhook_listen}:{tg_settings.webhook_port} ({error.strerror}): "
            "choose another WEBHOOK_PORT or WEBHOOK_LISTEN."
        ) from None


def _serve(application: Application, tg_settings: TelegramSettings) -> None:
    """Long-poll, or serve the webhook when ``WEBHOOK_URL`` is set, until interrupted."""
    if tg_settings.webhook_url:
        path = urlsplit(tg_settings.webhook_url).path.lstrip("/")
        logger.info("serving webhook on %s:%d/%s", tg_settings.webhook_listen, tg_settings.webhook_port, path)
        application.run_webhook(
            listen=tg_settings.webhook_listen,
            port=tg_settings.webhook_port,
            url_path=path,
            webhook_url=tg_settings.webhook_url,
            secret_token=tg_settings.webhook_secret or secrets.token_urlsafe(32),
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        logger.info("long polling (admins: %d, rate limit %d/min)", len(tg_settings.admin_user_ids),
                    tg_settings.rate_limit_per_minute)  # fmt: skip
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
