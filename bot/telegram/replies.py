"""What every Telegram handler module shares: the reply language, sending HTML (split into pages),
"typing…", the per-user question limit, the indexed sources, and what a user is told about an error.

State lives in ``application.bot_data`` (set up by :func:`bot.telegram.app.build_application`): the
``service``, the ``settings``, the per-user ``limiter`` and ``notices`` limits, the bounded ``questions`` map behind the
"More" button (:mod:`bot.telegram.paging`), the answered/abstained ``counters`` and the
``reindex_running`` flag. The synchronous core is always called through :func:`asyncio.to_thread`
so the event loop keeps serving other users.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.formatting import Lang, detect_lang
from bot.html_split import split_html_messages
from embeddings.errors import BuildInProgress, CoverageError, NoCorpus
from embeddings.records import Article

from .messages import render

logger = logging.getLogger(__name__)

TYPING_INTERVAL = 4.5  # a chat action shows for ~5 s
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def user_lang(update: Update, text: str = "") -> Lang:
    """The reply language for this user and (optionally) the text they sent."""
    user = update.effective_user
    return detect_lang(text, user.language_code if user else None)


def error_text(err: BaseException, lang: Lang) -> str:
    """What a user is told about a failure: a missing corpus is "nothing indexed yet", a first build
    under way "try again in a moment"; anything else gets the apology. (Corpus, index and model
    errors carry server paths: an admin reads them in the log, a user never sees them. A question
    without words never gets here: the handlers answer it themselves.)"""
    if isinstance(err, NoCorpus):
        return render("no_coverage", lang)
    if isinstance(err, BuildInProgress):  # the first index is being built (no old one to answer from)
        return render("index_building", lang)
    return render("error", lang)


async def indexed_sources(context: ContextTypes.DEFAULT_TYPE) -> list[Article]:
    """``service.sources()``, or ``[]`` when the index cannot be read (logged): the callers then show
    their "nothing indexed yet" text instead of an error."""
    try:
        return await asyncio.to_thread(context.bot_data["service"].sources)
    except CoverageError as err:
        logger.warning("sources unavailable: %s", type(err).__name__)
        return []


async def reply_html(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Send HTML to the update's chat; in groups as a reply to the triggering message."""
    chat, msg = update.effective_chat, update.effective_message
    reply_to = None
    if chat and chat.type != ChatType.PRIVATE and msg:
        reply_to = ReplyParameters(message_id=msg.message_id, allow_sending_without_reply=True)
    return await chat.get_bot().send_message(  # type: ignore[union-attr]
        chat.id,  # type: ignore[union-attr]
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        reply_parameters=reply_to,
        link_preview_options=_NO_PREVIEW,
    )


async def reply_notice(update: Update, context: ContextTypes.DEFAULT_TYPE, notice: str) -> None:
    """Send the fixed notice ``notice`` (a :func:`render` key), at most once a minute per user and
    notice: the user who sends ten stickers is told once that only text is read, and Telegram's flood
    limits stay free for answers. The notices cost no model call, so they are not counted against
    the question limit."""
    user = update.effective_user
    if user is None or context.bot_data["notices"].allow((user.id, notice)):
        await reply_html(update, render(notice, user_lang(update)))
    else:
        logger.info("notice %s not repeated to user=%s", notice, user.id)


async def reply_pages(update: Update, blocks: list[str], sep: str = "\n\n") -> None:
    """Send ``blocks`` in as few messages as Telegram's 4096-character limit allows."""
    for page in split_html_messages(blocks, sep=sep):
        await reply_html(update, page)


@asynccontextmanager
async def typing(update: Update) -> AsyncIterator[None]:
    """Show "typing…" while the body runs (Telegram clears a chat action after ~5 s, so repeat it)."""
    chat = update.effective_chat
    bot = chat.get_bot()  # type: ignore[union-attr]

    async def keep_typing() -> None:
        while True:
            await asyncio.sleep(TYPING_INTERVAL)
            with suppress(TelegramError):
                await bot.send_chat_action(chat.id, ChatAction.TYPING)  # type: ignore[union-attr]

    with suppress(TelegramError):
        await bot.send_chat_action(chat.id, ChatAction.TYPING)  # type: ignore[union-attr]
    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


async def throttled(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: Lang) -> bool:
    """Apply the per-user question limit; on refusal tell the user politely and return True."""
    limiter = context.bot_data["limiter"]
    user_id = update.effective_user.id  # type: ignore[union-attr]
    if limiter.allow(user_id):
        return False
    seconds = max(1, math.ceil(limiter.retry_after(user_id)))
    logger.info("throttled user=%s retry_after=%ss", user_id, seconds)
    text = render("throttled", lang, limit=limiter.per_minute, seconds=seconds)
    if update.callback_query:
        await update.callback_query.answer(text[:200], show_alert=True)  # no tags in this text
    else:
        await reply_html(update, text)
    return True
