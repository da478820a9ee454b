"""Telegram update handlers, one per function; :func:`bot.telegram.app.build_application` wires them.

State lives in ``application.bot_data`` (set up by ``build_application``): the ``service``, the
``settings``, the per-user ``limiter``, the bounded ``questions`` map behind the "More" button, the
answered/abstained ``counters`` and the ``reindex_running`` flag. The synchronous core is always
called through :func:`asyncio.to_thread` so the event loop keeps serving other users. The admin
commands (``/reindex``, ``/stats``) are in :mod:`bot.telegram.admin`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.formatting import Lang, detect_lang, e, format_answer_html
from bot.formatting import citation as plain_citation
from bot.html_split import split_html_messages
from embeddings.errors import CoverageError, EmptyQuestion, NoCorpus
from embeddings.records import Answer, Article

from .messages import coverage_html, error_detail, plain, render

logger = logging.getLogger(__name__)

PAGE_SIZE = 5
MAX_REMEMBERED_QUESTIONS = 1000
TYPING_INTERVAL = 4.5  # a chat action shows for ~5 s
_MORE_DATA = re.compile(r"^more:([A-Za-z0-9_-]{1,16}):(\d{1,4})$")
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


# ------------------------------------------------------------------------------------------ helpers


def user_lang(update: Update, text: str = "") -> Lang:
    """The reply language for this user and (optionally) the text they sent."""
    user = update.effective_user
    return detect_lang(text, user.language_code if user else None)


def _has_words(text: str) -> bool:
    """False for empty, whitespace-only, emoji-only or punctuation-only text."""
    return any(ch.isalnum() for ch in text)


def _error_text(err: BaseException, lang: Lang) -> str:
    """What a user is told about a failure: the core's own message only for an empty question; a
    missing corpus is "nothing indexed yet"; anything else gets the apology. (Corpus, index and
    model errors carry server paths: an admin reads them in the log, a user never sees them.)"""
    if isinstance(err, EmptyQuestion):
        return render("core_error", lang, error=error_detail(err))
    if isinstance(err, NoCorpus):
        return render("no_coverage", lang)
    return render("error", lang)


async def _sources(context: ContextTypes.DEFAULT_TYPE) -> list[Article]:
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


@asynccontextmanager
async def _typing(update: Update) -> AsyncIterator[None]:
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


@dataclass
class Remembered:
    """A question kept server-side for its "More" button (the callback data holds only an id)."""

    question: str
    lang: Lang
    index_version: str  # what the index that answered held: pages from other content would not continue
    shown_until: int  # results before this offset were sent, or are being sent (a double tap is ignored)


def _remember(context: ContextTypes.DEFAULT_TYPE, answer: Answer, lang: Lang) -> str:
    """Keep the question under a short id (bounded, oldest dropped); returns the id."""
    questions: OrderedDict[str, Remembered] = context.bot_data["questions"]
    qid = secrets.token_urlsafe(6)
    questions[qid] = Remembered(answer.question, lang, answer.index_version, len(answer.results))
    while len(questions) > MAX_REMEMBERED_QUESTIONS:
        questions.popitem(last=False)
    return qid


async def _throttled(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: Lang) -> bool:
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


async def _send_answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Answer, lang: Lang, offset: int,
    qid: str | None = None,
) -> None:
    """Send an answer page (abstain text with a coverage hint when unanswered) and its "More" button
    (for the question remembered as ``qid``, or a newly remembered one)."""
    sources = () if answer.answered else await _sources(context)
    pages = format_answer_html(answer, lang, start_rank=offset + 1, sources=sources)
    markup = None
    if answer.answered and answer.more > 0:
        data = f"more:{qid or _remember(context, answer, lang)}:{offset + len(answer.results)}"
        label = f"{plain('more_button', lang)} ({answer.more})"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
    for i, page in enumerate(pages):
        await reply_html(update, page, markup if i == len(pages) - 1 else None)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """The question flow shared by private messages, ``/ask`` and group mentions."""
    lang = user_lang(update, question)
    if not _has_words(question):
        await reply_html(update, render("not_a_question", lang))
        return
    if await _throttled(update, context, lang):
        return
    user_id, started = update.effective_user.id, time.monotonic()  # type: ignore[union-attr]
    async with _typing(update):
        try:
            answer = await asyncio.to_thread(context.bot_data["service"].ask, question, k=PAGE_SIZE)
        except EmptyQuestion:
            await reply_html(update, render("not_a_question", lang))
            return
        except CoverageError as err:
            logger.warning("question failed user=%s error=%s", user_id, type(err).__name__)
            await reply_html(update, _error_text(err, lang))
            return
        context.bot_data["counters"]["answered" if answer.answered else "abstained"] += 1
        await _send_answer(update, context, answer, lang, offset=0)
    logger.info(
        "question user=%s answered=%s results=%d more=%d truncated=%s seconds=%.2f",
        user_id, answer.answered, len(answer.results), answer.more, answer.truncated,
        time.monotonic() - started,
    )  # fmt: skip


# ----------------------------------------------------------------------------------------- handlers


async def _help_blocks(context: ContextTypes.DEFAULT_TYPE, lang: Lang, *, greeting: bool) -> list[str]:
    """What the index covers (from ``service.sources()``), how to ask, examples and commands."""
    parts = [render("start", lang)] if greeting else []
    parts.append(coverage_html(await _sources(context), lang))
    parts += [render(k, lang) for k in ("how_to", "examples", "commands")]
    return parts


async def _reply_pages(update: Update, blocks: list[str], sep: str = "\n\n") -> None:
    """Send ``blocks`` in as few messages as Telegram's 4096-character limit allows."""
    for page in split_html_messages(blocks, sep=sep):
        await reply_html(update, page)


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/start``: greeting, then the same text as ``/help``."""
    await _reply_pages(update, await _help_blocks(context, user_lang(update), greeting=True))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/help``: what the index covers, how to ask, examples and commands."""
    await _reply_pages(update, await _help_blocks(context, user_lang(update), greeting=False))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/ask QUESTION`` (private chats and groups); the raw text after the command is the question."""
    parts = (update.effective_message.text or "").split(maxsplit=1)  # type: ignore[union-attr]
    if len(parts) < 2 or not parts[1].strip():
        await reply_html(update, render("ask_usage", user_lang(update)))
        return
    await answer_question(update, context, parts[1].strip())


async def private_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any plain text in a private chat is a question."""
    await answer_question(update, context, update.effective_message.text or "")  # type: ignore[union-attr]


async def group_mention_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, a message that mentions the bot is a question (the mention itself is removed)."""
    msg = update.effective_message
    me = f"@{context.bot.username}".lower()
    mentions = [text for text in msg.parse_entities([MessageEntity.MENTION]).values()]  # type: ignore[union-attr]
    if me not in (m.lower() for m in mentions):
        return  # someone else was mentioned: not for us
    question = re.sub(re.escape(me), " ", msg.text or "", flags=re.IGNORECASE).strip()  # type: ignore[union-attr]
    await answer_question(update, context, question)


async def more_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "More" button: the next page of the same question (ranks continue), kept server-side.

    The button is removed only once that page was sent, so a failed attempt can be retried; a
    second tap while (or after) the page is sent is ignored; after a re-index that changed the
    coverage, the user is asked to send the question again rather than get a page of a different
    ranking (it could repeat extracts already shown).
    """
    query = update.callback_query
    match = _MORE_DATA.match(query.data or "")  # type: ignore[union-attr]
    qid = match.group(1) if match else ""
    entry: Remembered | None = context.bot_data["questions"].get(qid)
    if entry is None:
        await query.answer(plain("more_expired", user_lang(update)), show_alert=True)  # type: ignore[union-attr]
        return
    offset = int(match.group(2))  # type: ignore[union-attr]
    if offset < entry.shown_until:
        await query.answer(plain("more_shown", entry.lang))  # type: ignore[union-attr]
        return
    entry.shown_until = offset + PAGE_SIZE  # claimed before the first await: a second tap sees it
    try:
        if await _throttled(update, context, entry.lang):
            entry.shown_until = offset
            return
        await query.answer()  # type: ignore[union-attr]
        async with _typing(update):
            answer = await asyncio.to_thread(context.bot_data["service"].ask, entry.question, k=PAGE_SIZE,
                                             offset=offset)
            if answer.index_version != entry.index_version:
                context.bot_data["questions"].pop(qid, None)
                await reply_html(update, render("more_stale", entry.lang))
            elif answer.results:
                await _send_answer(update, context, answer, entry.lang, offset=offset, qid=qid)
            else:
                await reply_html(update, render("more_none", entry.lang))
    except BaseException:
        entry.shown_until = offset  # the page was not sent: the button can be pressed again
        raise
    with suppress(BadRequest):  # the button may already be gone
        await query.edit_message_reply_markup(reply_markup=None)  # type: ignore[union-attr]
    logger.info("more user=%s offset=%d results=%d", update.effective_user.id, offset, len(answer.results))  # type: ignore[union-attr]


async def unknown_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button this bot does not know (say, from an older version): stop the client's spinner and
    say the question expired, rather than leave the tap unanswered."""
    await update.callback_query.answer(plain("more_expired", user_lang(update)), show_alert=True)  # type: ignore[union-attr]


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/sources``: every indexed article with outlet, date and title (split over messages if long)."""
    lang = user_lang(update)
    articles = await _sources(context)
    if not articles:
        await reply_html(update, render("sources_empty", lang))
        return
    blocks = [render("sources_header", lang, count=len(articles))]
    blocks += [f"{i}. {e(plain_citation(a, lang))}" for i, a in enumerate(articles, start=1)]
    await _reply_pages(update, blocks, sep="\n")  # a long list is split between articles


async def non_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, documents, voice… in a private chat: say that only text is read."""
    await reply_html(update, render("non_text", user_lang(update)))


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message in a private chat is not re-answered; say how to ask again."""
    await reply_html(update, render("edited", user_lang(update)))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown command: point to /help in private chats, or in groups when addressed to us."""
    chat, msg = update.effective_chat, update.effective_message
    command = (msg.text or "").split(maxsplit=1)[0] if msg and msg.text else ""  # type: ignore[union-attr]
    if chat.type != ChatType.PRIVATE and not command.lower().endswith(f"@{context.bot.username}".lower()):  # type: ignore[union-attr]
        return
    await reply_html(update, render("unknown_command", user_lang(update)))


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the traceback; give the user a short apology (or the core's own message for an empty
    question or a missing corpus, see :func:`_error_text`). The bot keeps running."""
    user = update.effective_user if isinstance(update, Update) else None
    logger.error("unhandled error user=%s", user.id if user else None, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await reply_html(update, _error_text(context.error, user_lang(update)))  # type: ignore[arg-type]
    except TelegramError as err:
        logger.warning("could not send the apology: %s", type(err).__name__)
