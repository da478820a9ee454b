"""What every Telegram handler module shares: the reply language, the question a message asks (without
the bot's own @mention), sending HTML (split into pages), "typing…", the per-user question limit and
the once-a-minute cap on fixed replies, the indexed sources, and what a user is told about an error.

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
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.html_split import split_html_messages
from bot.language import Lang, detect_lang, format_count
from embeddings.errors import BuildInProgress, CoverageError, IndexBuildError, NoCorpus
from embeddings.records import Article

from .messages import render

logger = logging.getLogger(__name__)

TYPING_INTERVAL = 4.5  # a chat action shows for ~5 s
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def user_lang(update: Update, text: str = "") -> Lang:
    """The reply language for this user and (optionally) the text they sent."""
    user = update.effective_user
    return detect_lang(text, user.language_code if user else None)


def question_text(context: ContextTypes.DEFAULT_TYPE, text: str) -> str:
    """``text`` without the bot's own @mention, however it is written (``@Coverage_Bot``), and the
    punctuation that addressed it (``"Hei @bot, siapa…"`` → ``"Hei siapa…"``): every handler reads a
    question through this, so a private message, ``/ask @bot …``, a caption and a group mention all
    search the same words. A longer name that starts with it (``@coverage_bot_fans``) is someone
    else's and stays."""
    return without_mention(text, context.bot.username)


def without_mention(text: str, username: str) -> str:
    """``text`` without ``@username``; see :func:`question_text`. A comma, colon or semicolon attached
    to the mention goes with it, so does one before it when the mention ends the sentence
    (``"Siapa Wang Yi, @bot?"`` → ``"Siapa Wang Yi?"``); spaces are collapsed."""
    mention = re.compile(rf"[,;:]?\s*(?<!\w)@{re.escape(username)}(?!\w)[,;:]*\s*", re.IGNORECASE)

    def gap(match: re.Match[str]) -> str:
        before, after = text[: match.start()], text[match.end():]
        return " " if before.strip() and after and after[0] not in ".,;:!?…)»”\"'" else ""

    return " ".join(mention.sub(gap, text).split())


def unavailable_text(err: BaseException, lang: Lang, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Why there is no index to read, when saying so helps more than the caller's own fallback (an
    apology for a question, "nothing indexed yet" for ``/help`` and ``/sources``, "unavailable" for
    ``/stats``), else ``None``: a build under way (the first one: no old index to answer from) is
    "being built, try again in a moment", the same for a question, ``/help``, ``/sources`` and
    ``/stats``; a failed build with no index left is "not available until an admin fixes it" (trying
    again shortly would not help)."""
    if isinstance(err, BuildInProgress):
        return render("index_building", lang)
    if isinstance(err, IndexBuildError) and not context.bot_data["service"].has_index:
        return render("index_failed", lang)
    return None


def error_text(err: BaseException, lang: Lang, context: ContextTypes.DEFAULT_TYPE) -> str:
    """What a user is told about a failure: a missing corpus is "nothing indexed yet", then
    :func:`unavailable_text` when it applies, else the apology. (Corpus, index and model errors carry
    server paths: an admin reads them in the log, a user never sees them. A question without words
    never gets here: the handlers answer it.)"""
    if isinstance(err, NoCorpus):
        return render("no_coverage", lang)
    return unavailable_text(err, lang, context) or render("error", lang)


async def indexed_sources(context: ContextTypes.DEFAULT_TYPE, lang: Lang) -> tuple[list[Article], str | None]:
    """``service.sources()``; when the index cannot be read (logged), ``[]`` and what
    :func:`unavailable_text` says about it (``None``: the caller shows its "nothing indexed" text)."""
    try:
        return await asyncio.to_thread(context.bot_data["service"].sources), None
    except CoverageError as err:
        logger.warning("sources unavailable: %s", type(err).__name__)
        return [], unavailable_text(err, lang, context)


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


def once_a_minute(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, *, in_private: bool = True) -> bool:
    """Whether the fixed reply ``kind`` may go to this user in this chat now: at most
    ``NOTICES_PER_MINUTE`` (the ``notices`` limiter) per user, chat and kind. A fixed reply costs no
    model call, so it is not counted against the question limit; but each one spends the chat's
    Telegram allowance (``AIORateLimiter``: about 20 messages a minute in a group), and one user's
    flood of them would make everyone else's answers wait. With ``in_private=False`` the cap holds
    in groups only (in a private chat only the sender waits)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or (not in_private and chat.type == ChatType.PRIVATE):
        return True
    if context.bot_data["notices"].allow((user.id, chat.id, kind)):
        return True
    logger.info("notice %s not repeated to user=%s", kind, user.id)
    return False


async def reply_notice(
    update: Update, context: ContextTypes.DEFAULT_TYPE, notice: str, *, lang: Lang | None = None,
    in_private: bool = True,
) -> None:  # fmt: skip
    """Send the fixed notice ``notice`` (a :func:`render` key) within :func:`once_a_minute`: the user
    who sends ten stickers is told once that only text is read, and Telegram's flood limits stay free
    for answers."""
    if once_a_minute(update, context, notice, in_private=in_private):
        await reply_html(update, render(notice, lang or user_lang(update)))


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
    """Apply the per-user question limit; on refusal tell the user politely (a "More" tap as an
    alert; a message at most once a minute: :func:`once_a_minute`) and return True."""
    limiter = context.bot_data["limiter"]
    user_id = update.effective_user.id  # type: ignore[union-attr]
    if limiter.allow(user_id):
        return False
    seconds = max(1, math.ceil(limiter.retry_after(user_id)))
    logger.info("throttled user=%s retry_after=%ss", user_id, seconds)
    text = render("throttled", lang, limit=format_count(limiter.per_minute, lang), seconds=format_count(seconds, lang))
    if update.callback_query and await answer_tap(update, text[:200], show_alert=True):  # no tags in this text
        return True
    if once_a_minute(update, context, "throttled"):  # a message, or a tap too old for its alert
        await reply_html(update, text)
    return True


async def answer_tap(update: Update, text: str | None = None, *, show_alert: bool = False) -> bool:
    """Answer a button tap (stop the client's spinner, with a toast or an alert when ``text`` is
    given); False when Telegram refuses (``BadRequest``): mostly because the tap is too old to answer
    ("query is too old": taps made while the bot was down reach it after a restart, and a busy bot
    can answer one late). That must not stop the handler from doing what the tap asked for, or say
    it failed."""
    try:
        await update.callback_query.answer(text, show_alert=show_alert)  # type: ignore[union-attr]
    except BadRequest as err:
        logger.info("button tap not answered (%s): user=%s", err.message,
                    update.effective_user.id if update.effective_user else None)
        return False
    return True
