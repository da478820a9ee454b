"""Telegram update handlers, one per function; :func:`bot.telegram.app.build_application` wires them.

State lives in ``application.bot_data`` (set up by ``build_application``): the ``service``, the
``settings``, the per-user ``limiter``, the bounded ``questions`` map behind the "More" button, the
answered/abstained ``counters`` and the ``reindex_running`` flag. The synchronous core is always
called through :func:`asyncio.to_thread` so the event loop keeps serving other users.
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
from telegram.ext import Application, ContextTypes

from bot.formatting import Lang, detect_lang, e, format_answer_html, split_html_messages
from bot.formatting import citation as plain_citation
from embeddings.errors import CoverageError, EmptyQuestion
from embeddings.records import Answer

from .messages import coverage_html, plain, reindex_report_html, render, stats_html

logger = logging.getLogger(__name__)

PAGE_SIZE = 5
MAX_REMEMBERED_QUESTIONS = 1000
TYPING_INTERVAL = 4.5  # a chat action shows for ~5 s
_MORE_DATA = re.compile(r"^more:([A-Za-z0-9_-]{1,16}):(\d{1,4})$")
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


# ------------------------------------------------------------------------------------------ helpers


def _lang(update: Update, text: str = "") -> Lang:
    user = update.effective_user
    return detect_lang(text, user.language_code if user else None)


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return bool(user and user.id in context.bot_data["settings"].admin_user_ids)


def _has_words(text: str) -> bool:
    """False for empty, whitespace-only, emoji-only or punctuation-only text."""
    return any(ch.isalnum() for ch in text)


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
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


def _remember(context: ContextTypes.DEFAULT_TYPE, question: str, lang: Lang) -> str:
    """Keep the question server-side under a short id for the "More" button (bounded, oldest dropped)."""
    questions: OrderedDict[str, tuple[str, Lang]] = context.bot_data["questions"]
    qid = secrets.token_urlsafe(6)
    questions[qid] = (question, lang)
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
        await _reply(update, text)
    return True


async def _send_answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Answer, lang: Lang, offset: int
) -> None:
    """Send an answer page (abstain text with a coverage hint when unanswered) and its "More" button."""
    service = context.bot_data["service"]
    sources = () if answer.answered else await asyncio.to_thread(service.sources)
    pages = format_answer_html(answer, lang, start_rank=offset + 1, sources=sources)
    markup = None
    if answer.answered and answer.more > 0:
        data = f"more:{_remember(context, answer.question, lang)}:{offset + len(answer.results)}"
        label = f"{plain('more_button', lang)} ({answer.more})"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
    for i, page in enumerate(pages):
        await _reply(update, page, markup if i == len(pages) - 1 else None)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """The question flow shared by private messages, ``/ask`` and group mentions."""
    lang = _lang(update, question)
    if not _has_words(question):
        await _reply(update, render("not_a_question", lang))
        return
    if await _throttled(update, context, lang):
        return
    user_id, started = update.effective_user.id, time.monotonic()  # type: ignore[union-attr]
    async with _typing(update):
        try:
            answer = await asyncio.to_thread(context.bot_data["service"].ask, question, k=PAGE_SIZE)
        except EmptyQuestion:
            await _reply(update, render("not_a_question", lang))
            return
        except CoverageError as err:
            logger.warning("question failed user=%s error=%s", user_id, type(err).__name__)
            await _reply(update, render("core_error", lang, error=str(err)))
            return
        context.bot_data["counters"]["answered" if answer.answered else "abstained"] += 1
        await _send_answer(update, context, answer, lang, offset=0)
    logger.info(
        "question user=%s answered=%s results=%d more=%d truncated=%s seconds=%.2f",
        user_id, answer.answered, len(answer.results), answer.more, answer.truncated,
        time.monotonic() - started,
    )  # fmt: skip


# ----------------------------------------------------------------------------------------- handlers


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/start``: greeting, what the index covers (from ``service.sources()``), how to ask, examples."""
    lang = _lang(update)
    sources = await asyncio.to_thread(context.bot_data["service"].sources)
    parts = [render("start", lang), coverage_html(sources, lang)]
    parts += [render(k, lang) for k in ("how_to", "examples", "commands")]
    await _reply(update, "\n\n".join(parts))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/help``: what the index covers, how to ask, examples and commands."""
    lang = _lang(update)
    sources = await asyncio.to_thread(context.bot_data["service"].sources)
    parts = [coverage_html(sources, lang)] + [render(k, lang) for k in ("how_to", "examples", "commands")]
    await _reply(update, "\n\n".join(parts))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/ask QUESTION`` (private chats and groups); the raw text after the command is the question."""
    parts = (update.effective_message.text or "").split(maxsplit=1)  # type: ignore[union-attr]
    if len(parts) < 2 or not parts[1].strip():
        await _reply(update, render("ask_usage", _lang(update)))
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
    """The "More" button: the next page of the same question (ranks continue), kept server-side."""
    query = update.callback_query
    match = _MORE_DATA.match(query.data or "")  # type: ignore[union-attr]
    entry = context.bot_data["questions"].get(match.group(1)) if match else None
    if entry is None:
        await query.answer(plain("more_expired", _lang(update)), show_alert=True)  # type: ignore[union-attr]
        return
    question, lang = entry
    if await _throttled(update, context, lang):
        return
    await query.answer()  # type: ignore[union-attr]
    with suppress(BadRequest):  # the button may already be gone (pressed twice)
        await query.edit_message_reply_markup(reply_markup=None)  # type: ignore[union-attr]
    offset = int(match.group(2))  # type: ignore[union-attr]
    async with _typing(update):
        service = context.bot_data["service"]
        answer = await asyncio.to_thread(service.ask, question, k=PAGE_SIZE, offset=offset)
        if not answer.results:
            await _reply(update, render("more_none", lang))
            return
        await _send_answer(update, context, answer, lang, offset=offset)
    logger.info("more user=%s offset=%d results=%d", update.effective_user.id, offset, len(answer.results))  # type: ignore[union-attr]


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/sources``: every indexed article with outlet, date and title (split over messages if long)."""
    lang = _lang(update)
    articles = await asyncio.to_thread(context.bot_data["service"].sources)
    if not articles:
        await _reply(update, render("sources_empty", lang))
        return
    blocks = [render("sources_header", lang, count=len(articles))]
    blocks += [f"{i}. {e(plain_citation(a, lang))}" for i, a in enumerate(articles, start=1)]
    for page in split_html_messages(blocks, sep="\n"):  # long lists split between articles
        await _reply(update, page)


async def reindex_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/reindex [full]`` (admins): re-index in the background; the old index serves meanwhile."""
    lang, user_id = _lang(update), update.effective_user.id  # type: ignore[union-attr]
    if not _is_admin(update, context):
        logger.warning("refused /reindex from non-admin user=%s", user_id)
        await _reply(update, render("admin_only", lang))
        return
    if context.bot_data["reindex_running"]:
        await _reply(update, render("reindex_running", lang))
        return
    context.bot_data["reindex_running"] = True  # set before any await: a second /reindex sees it
    rebuild = bool(context.args) and context.args[0].lower() in ("full", "rebuild")
    logger.info("reindex started by user=%s rebuild=%s", user_id, rebuild)
    try:
        await _reply(update, render("reindex_started", lang))
    finally:
        context.application.create_task(_run_reindex(context.application, update, lang, rebuild))


async def _run_reindex(application: Application, update: Update, lang: Lang, rebuild: bool) -> None:
    """The background half of ``/reindex``: run it in a thread, report the outcome to the admin."""
    service = application.bot_data["service"]
    try:
        report = await asyncio.to_thread(service.reindex, rebuild=rebuild)
    except Exception as err:  # IndexBuildError, NoCorpus or anything else: the old index keeps serving
        application.bot_data["reindex_running"] = False  # before replying: the admin may retry at once
        logger.error("reindex failed: %s", type(err).__name__, exc_info=err)
        message = str(err) if isinstance(err, CoverageError) else f"{type(err).__name__}: {err}"
        with suppress(TelegramError):
            await _reply(update, render("reindex_failed", lang, error=message))
        return
    application.bot_data["reindex_running"] = False
    logger.info("reindex done articles=%d paragraphs=%d seconds=%.1f", report.articles, report.paragraphs,
                report.seconds)  # fmt: skip
    for page in split_html_messages([reindex_report_html(report, lang)]):
        await _reply(update, page)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/stats`` (admins): articles, paragraphs, model, index age, answered/abstained since start."""
    lang = _lang(update)
    if not _is_admin(update, context):
        logger.warning("refused /stats from non-admin user=%s", update.effective_user.id)  # type: ignore[union-attr]
        await _reply(update, render("admin_only", lang))
        return
    stats = await asyncio.to_thread(context.bot_data["service"].stats)
    await _reply(update, stats_html(stats, context.bot_data["counters"], lang))


async def non_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, documents, voice… in a private chat: say that only text is read."""
    await _reply(update, render("non_text", _lang(update)))


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message in a private chat is not re-answered; say how to ask again."""
    await _reply(update, render("edited", _lang(update)))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown command: point to /help in private chats, or in groups when addressed to us."""
    chat, msg = update.effective_chat, update.effective_message
    command = (msg.text or "").split(maxsplit=1)[0] if msg and msg.text else ""  # type: ignore[union-attr]
    if chat.type != ChatType.PRIVATE and not command.lower().endswith(f"@{context.bot.username}".lower()):  # type: ignore[union-attr]
        return
    await _reply(update, render("unknown_command", _lang(update)))


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the traceback; give the user a short apology (or the core's own message for a
    ``CoverageError``, e.g. no corpus yet). The bot keeps running."""
    user = update.effective_user if isinstance(update, Update) else None
    logger.error("unhandled error user=%s", user.id if user else None, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    lang, err = _lang(update), context.error
    text = (
        render("core_error", lang, error=str(err))
        if isinstance(err, CoverageError)
        else render("error", lang)
    )
    try:
        await _reply(update, text)
    except TelegramError as err:
        logger.warning("could not send the apology: %s", type(err).__name__)
