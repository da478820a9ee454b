"""The admin commands, ``/reindex`` and ``/stats`` (registered by :func:`bot.telegram.app.register_handlers`),
and the command menus that list them for admins only.

Admins are the ``ADMIN_USER_IDS`` of :class:`bot.telegram.config.TelegramSettings`; anyone else gets a
polite refusal, logged as a warning.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.language import Lang
from embeddings.errors import BuildInProgress, BuildStopped, CoverageError
from embeddings.records import IndexReport

from .messages import ADMIN_COMMANDS, COMMANDS, error_detail, reindex_report_blocks, render, stats_html
from .replies import reply_html, reply_notice, reply_pages, unavailable_text, user_lang

logger = logging.getLogger(__name__)


#: Menu languages: Indonesian for everyone, English for users whose Telegram is set to English.
MENU_LANGUAGES: tuple[tuple[Lang, str | None], ...] = (("id", None), ("en", "en"))
#: ``/reindex`` arguments that ask for a full rebuild (re-embed everything), in both languages.
REBUILD_ARGS = frozenset({"full", "rebuild", "penuh", "--full", "--rebuild"})


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return bool(user and user.id in context.bot_data["settings"].admin_user_ids)


def _menu(lang: Lang, *, admin: bool) -> list[BotCommand]:
    return [BotCommand(name, about) for name, about in COMMANDS[lang] if admin or name not in ADMIN_COMMANDS]


async def register_user_menu(bot: Bot) -> None:
    """The command menu everyone sees: the user commands, without ``/reindex`` and ``/stats``."""
    for lang, language_code in MENU_LANGUAGES:
        await bot.set_my_commands(_menu(lang, admin=False), language_code=language_code)


async def register_admin_menu(bot: Bot, admin_id: int) -> None:
    """The full menu, in one admin's private chat. Done when the admin sends ``/start``: Telegram
    refuses a chat scope ("chat not found") before the admin has started the bot, and keeps the menu
    once set, across restarts."""
    try:
        for lang, language_code in MENU_LANGUAGES:
            await bot.set_my_commands(_menu(lang, admin=True), scope=BotCommandScopeChat(admin_id),
                                      language_code=language_code)
    except TelegramError as err:  # "chat not found" before the admin's first message, or an outage:
        # never fatal, and never in the way of the /start reply it comes before
        logger.info("admin menu for %s not set: %s: %s", admin_id, type(err).__name__, err.message)


async def _refuse_non_admin(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str) -> bool:
    """True (after logging and a polite refusal) when the user is not one of the bot's admins, or
    is one but asks in a group: the reports carry server details (paths, model) that a group's other
    members should not read."""
    user = update.effective_user
    if not is_admin(update, context):
        logger.warning("refused /%s from non-admin user=%s", command, user.id if user else None)
        await reply_notice(update, context, "admin_only", in_private=False)  # in a group: once a minute
        return True
    if update.effective_chat and update.effective_chat.type != ChatType.PRIVATE:
        await reply_notice(update, context, "admin_private", in_private=False)
        return True
    return False


async def reindex_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/reindex [penuh|full]`` (admins): re-index in the background; the old index serves
    meanwhile. An argument it does not know gets the usage line, not an incremental re-index the
    admin did not ask for."""
    if await _refuse_non_admin(update, context, "reindex"):
        return
    lang, user_id = user_lang(update), update.effective_user.id  # type: ignore[union-attr]
    args = [a.lower() for a in context.args or []]
    if len(args) > 1 or (args and args[0] not in REBUILD_ARGS):
        await reply_html(update, render("reindex_usage", lang))
        return
    service = context.bot_data["service"]
    if context.bot_data["stopping"].is_set():  # handled while the bot stops: its task would not be awaited
        await reply_html(update, render("reindex_shutting_down", lang))
        return
    if context.bot_data["reindex_running"] or service.building_here:  # ours, or a first use's build
        await reply_html(update, render("reindex_running", lang))
        return
    if service.build_running:  # not ours: an admin's `coverage-bot index` on the same DATA_DIR
        logger.warning("reindex by user=%s not started: another process is building the index", user_id)
        await reply_html(update, render("reindex_elsewhere", lang))
        return
    context.bot_data["reindex_running"] = True  # set before any await: a second /reindex sees it
    rebuild = bool(args)
    logger.info("reindex started by user=%s rebuild=%s", user_id, rebuild)
    try:
        await reply_html(update, render("reindex_started" if service.has_index else "reindex_started_first", lang))
    finally:
        context.application.create_task(_run_reindex(context.application, update, lang, rebuild))


async def _reindex(application: Application, rebuild: bool) -> IndexReport:
    """``service.reindex`` in a thread; the "running" flag is cleared however it ends — before any
    reply, so the admin may start another one at once."""
    try:
        return await asyncio.to_thread(application.bot_data["service"].reindex, rebuild=rebuild,
                                       stop=application.bot_data["stopping"])
    finally:
        application.bot_data["reindex_running"] = False


async def _run_reindex(application: Application, update: Update, lang: Lang, rebuild: bool) -> None:
    """The background half of ``/reindex``: run it in a thread, report the outcome to the admin."""
    service = application.bot_data["service"]
    try:
        report = await _reindex(application, rebuild)
    except BuildInProgress:  # a build took the lock since /reindex looked: not a failure
        here = service.building_here  # a question's first-use build in this process, or another process
        logger.warning("reindex not run: %s is building the index", "this process" if here else "another process")
        with suppress(TelegramError):
            await reply_html(update, render("reindex_running" if here else "reindex_elsewhere", lang))
        return
    except BuildStopped as stopped:  # the bot is stopping (CoverageApplication.stop): not a failure either
        logger.warning("reindex %s", stopped)
        key = "reindex_stopped_full" if rebuild else "reindex_stopped"
        with suppress(TelegramError):
            await reply_html(update, render(key if service.has_index else "reindex_stopped_first", lang))
        return
    except Exception as err:  # IndexBuildError, NoCorpus or anything else: the old index, if any, serves
        logger.error("reindex failed: %s", type(err).__name__, exc_info=err)
        message = error_detail(err, with_type=not isinstance(err, CoverageError))
        served = service.has_index  # none: nothing answers until one succeeds
        with suppress(TelegramError):
            await reply_html(update, render("reindex_failed" if served else "reindex_failed_first", lang,
                                            error=message))  # fmt: skip
        return
    logger.info("reindex done articles=%d paragraphs=%d seconds=%.1f", report.articles, report.paragraphs,
                report.seconds)  # fmt: skip
    try:
        await reply_pages(update, reindex_report_blocks(report, lang))
    except TelegramError as err:  # the new index serves; only the report is lost. Said here: the error
        # handler gets no update from this task, and would log it as a failure to fetch updates.
        logger.error("reindex succeeded, but its report could not be sent to user=%s: %s: %s",
                     update.effective_user.id if update.effective_user else None, type(err).__name__, err.message)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/stats`` (admins): articles, paragraphs, model, index age, answered/abstained since start;
    without an index, why when that helps (being built, build failed: :func:`unavailable_text`),
    else that it is unavailable."""
    if await _refuse_non_admin(update, context, "stats"):
        return
    lang = user_lang(update)
    try:
        stats = await asyncio.to_thread(context.bot_data["service"].stats)
    except CoverageError as err:
        logger.warning("stats unavailable: %s", type(err).__name__)
        await reply_html(update, unavailable_text(err, lang, context) or render("index_unavailable", lang))
        return
    await reply_html(update, stats_html(stats, context.bot_data["counters"], lang))
