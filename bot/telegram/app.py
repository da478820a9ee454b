"""Build and run the Telegram bot.

:func:`build_application` is the single code path shared by ``coverage-bot serve`` (via
:func:`run`) and the tests (which drive it against a local fake Bot API server): it configures the
API URLs, Telegram flood limits (``AIORateLimiter``), the command menu (``post_init``), the handlers
and the error handler. :func:`run` adds the service, logging and long polling (or a webhook).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import threading
from collections import OrderedDict
from contextlib import suppress
from typing import TYPE_CHECKING

from telegram import MessageEntity
from telegram.constants import UpdateType
from telegram.error import TelegramError
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
from .config import TelegramConfigError, TelegramSettings
from .console import configure_logging, quiet_token_loggers, startup_error
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


class CoverageApplication(Application):
    """python-telegram-bot's ``Application``, with a shutdown that does not wait out a re-index: ``stop``
    (Ctrl-C, SIGTERM) waits for every task it started, a ``/reindex`` among them, which could take
    minutes; the flag it sets makes the build stop after its current batch of embeddings (the admin
    is told, the old index keeps serving, and what was embedded is kept for the next re-index)."""

    async def start(self) -> None:
        self.bot_data["stopping"].clear()  # started again after a stop: re-indexes run to the end again
        await super().start()

    async def stop(self) -> None:
        self.bot_data["stopping"].set()
        if self.bot_data.get("owns_signals"):  # run_polling/run_webhook: its handlers are still installed
            _ignore_signals_while_stopping()
        if self.bot_data.get("reindex_running"):
            logger.warning("stopping: the running re-index stops after its current batch%s",
                           "; the old index keeps serving" if self.bot_data["service"].has_index else "")
        await super().stop()


#: The signals ``run_polling`` and ``run_webhook`` stop on (python-telegram-bot's default ``stop_signals``).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)


def _ignore_signals_while_stopping() -> None:
    """A second Ctrl-C (or SIGTERM) while the bot stops is said and ignored: python-telegram-bot's
    handler, still installed, would raise ``SystemExit`` inside ``stop`` and close the event loop
    with tasks pending, losing the answers in flight (already confirmed to Telegram, so never sent
    again) and the admin's re-index notice. Stopping takes a second or two; SIGKILL still ends it."""
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        with suppress(NotImplementedError, RuntimeError, ValueError):  # not on this platform or loop
            loop.add_signal_handler(sig, logger.warning, "already stopping: the answers in flight are sent first")


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
        MessageHandler(
            new & filters.ChatType.GROUPS & filters.ATTACHMENT & filters.CaptionEntity(MessageEntity.MENTION),
            handlers.group_mention_message,
        )  # fmt: skip
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
        .application_class(CoverageApplication)
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
        stopping=threading.Event(),  # set when the bot stops: a running re-index stops (CoverageApplication)
    )
    register_handlers(application)
    return application


def run(core_settings: Settings) -> None:
    """``coverage-bot serve``: read the Telegram settings, open the index, then long-poll (or serve a
    webhook when ``WEBHOOK_URL`` is set) until interrupted.

    A token Telegram rejects, an API it cannot reach at start or that refuses the webhook, is a
    :class:`TelegramConfigError` (one line on the console, never the token). An unusable
    ``DATA_DIR``/``MODELS_DIR`` or a model that cannot be built stops it the same way (the core's
    own error, raised before polling starts), and so does a first build that fails (a typo in
    ``sources.toml``): started, the bot could only tell every user that the coverage is not
    available, while the admin at the console can fix it at once. So does a seeds folder that is not
    there when there is no index either (the bot was started from the wrong folder), before the model
    is built. Only an empty corpus (seeds to come; an admin can ``/reindex``) or a build another
    process is running lets the bot start without an index.
    """
    from embeddings.seeds import require_seeds_dir
    from embeddings.service import CoverageService  # imported here: loads the model stack
    from embeddings.text import language_identifier

    tg_settings = TelegramSettings.from_env()
    configure_logging(tg_settings.token)
    service = CoverageService(core_settings)
    if not service.has_index:  # run from the wrong folder: said before a 466 MB model is built into ./data
        require_seeds_dir(core_settings.seeds_dir)
    service.embedder  # noqa: B018  # the model first: a model or directory error stops serve here
    try:  # the index (building it if there is none) before the first user waits
        service.retriever()
    except (NoCorpus, BuildInProgress) as error:  # no seeds yet, or another process is building: start
        # anyway (an admin can /reindex). A failed build, a model or directory error stops it (raised).
        logger.warning("no index to serve yet (%s); an admin can /reindex once seeds are in place", error)
    language_identifier()  # a keyword question's language: loaded now, not in the event loop on first use
    application = build_application(service, tg_settings)
    try:
        _serve(application, tg_settings)
    except TelegramError as error:
        explained = startup_error(error, tg_settings)
        if explained is None:
            raise
        raise explained from None  # the chained traceback may hold the token
    except OSError as error:
        if not tg_settings.webhook_url:
            raise
        raise TelegramConfigError(  # the webhook's port: in use, or not ours to bind
            f"cannot listen on {tg_settings.webhook_listen}:{tg_settings.webhook_port} ({error.strerror}): "
            "choose another WEBHOOK_PORT or WEBHOOK_LISTEN."
        ) from None


def log_start(tg_settings: TelegramSettings) -> None:
    """Say how the bot is served (webhook, or long polling with its admins and rate limit), and warn
    about webhook settings that have no effect because ``WEBHOOK_URL`` is not set."""
    if tg_settings.webhook_url:
        logger.info("serving webhook on %s:%d/%s", tg_settings.webhook_listen, tg_settings.webhook_port,
                    tg_settings.webhook_path)
        return
    if tg_settings.unused_webhook_settings:
        logger.warning("%s set without WEBHOOK_URL: no effect while long polling (set WEBHOOK_URL to serve a "
                       "webhook, or remove them)", ", ".join(tg_settings.unused_webhook_settings))  # fmt: skip
    limit = tg_settings.rate_limit_per_minute
    logger.info("long polling (admins: %d, %s)", len(tg_settings.admin_user_ids),
                f"rate limit {limit}/min" if limit else "no rate limit")  # fmt: skip


def _serve(application: Application, tg_settings: TelegramSettings) -> None:
    """Long-poll, or serve the webhook when ``WEBHOOK_URL`` is set, until interrupted."""
    log_start(tg_settings)
    application.bot_data["owns_signals"] = True  # python-telegram-bot installs its stop handlers
    if tg_settings.webhook_url:
        application.run_webhook(
            listen=tg_settings.webhook_listen,
            port=tg_settings.webhook_port,
            url_path=tg_settings.webhook_path,
            webhook_url=tg_settings.webhook_url,
            secret_token=tg_settings.webhook_secret or secrets.token_urlsafe(32),
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
