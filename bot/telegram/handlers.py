"""Telegram update handlers for users, one per function; :func:`bot.telegram.app.build_application`
wires them. Shared helpers are in :mod:`bot.telegram.replies`, the "More" button in
:mod:`bot.telegram.paging`, the admin commands (``/reindex``, ``/stats``) in :mod:`bot.telegram.admin`.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.chat import MORE
from bot.formatting import citation as plain_citation
from bot.formatting import e
from bot.language import Lang, format_count
from embeddings.errors import CoverageError, EmptyQuestion
from embeddings.question import has_words

from . import admin
from .messages import coverage_html, render
from .paging import PAGE_SIZE, more_message, send_answer
from .replies import (
    error_text,
    indexed_sources,
    once_a_minute,
    question_text,
    reply_html,
    reply_notice,
    reply_pages,
    throttled,
    typing,
    user_lang,
)

logger = logging.getLogger(__name__)


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *, if_empty: str = "not_a_question"
) -> None:
    """The question flow shared by private messages, ``/ask``, captions and group mentions. ``text``
    is read without the bot's own @mention (:func:`question_text`): "@bot Siapa Wang Yi?" asks
    "Siapa Wang Yi?", not a question about a bot. Nothing left but the mention gets ``if_empty`` (the
    ``/ask`` usage hint), a text without words "ask in words"; in groups each at most once a minute
    per user (:func:`reply_notice`)."""
    question = question_text(context, text)
    lang = user_lang(update, question)
    if not question or not has_words(question):
        await reply_notice(update, context, if_empty if not question else "not_a_question", lang=lang,
                           in_private=False)  # fmt: skip
        return
    if await throttled(update, context, lang):
        return
    user_id, started = update.effective_user.id, time.monotonic()  # type: ignore[union-attr]
    async with typing(update):
        try:
            answer = await asyncio.to_thread(context.bot_data["service"].ask, question, k=PAGE_SIZE)
        except EmptyQuestion:
            await reply_notice(update, context, "not_a_question", lang=lang, in_private=False)
            return
        except CoverageError as err:
            logger.warning("question failed user=%s error=%s", user_id, type(err).__name__)
            await reply_html(update, error_text(err, lang, context))
            return
        context.bot_data["counters"]["answered" if answer.answered else "abstained"] += 1
        await send_answer(update, context, answer, lang, offset=0)
    logger.info(
        "question user=%s answered=%s results=%d more=%d truncated=%s seconds=%.2f",
        user_id, answer.answered, len(answer.results), answer.more, answer.truncated,
        time.monotonic() - started,
    )  # fmt: skip


async def _help_blocks(context: ContextTypes.DEFAULT_TYPE, lang: Lang, *, greeting: bool) -> list[str]:
    """What the index covers (from ``service.sources()``, or why it cannot be read now: "being built",
    "nothing indexed yet"), how to ask, examples and commands."""
    parts = [render("start", lang)] if greeting else []
    articles, unavailable = await indexed_sources(context, lang)
    parts.append(unavailable or coverage_html(articles, lang))
    parts += [render(k, lang) for k in ("how_to", "examples", "commands")]
    return parts


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/start``: greeting, then the same text as ``/help``. In an admin's private chat, also the
    menu with the admin commands (see :func:`admin.register_admin_menu`). In a group, at most once a
    minute per user (:func:`once_a_minute`): a flood of them would hold up others' answers."""
    if admin.is_admin(update, context) and update.effective_chat.type == ChatType.PRIVATE:  # type: ignore[union-attr]
        await admin.register_admin_menu(context.bot, update.effective_user.id)  # type: ignore[union-attr]
    if once_a_minute(update, context, "start", in_private=False):
        await reply_pages(update, await _help_blocks(context, user_lang(update), greeting=True))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/help``: what the index covers, how to ask, examples and commands (in a group, at most once
    a minute per user)."""
    if once_a_minute(update, context, "help", in_private=False):
        await reply_pages(update, await _help_blocks(context, user_lang(update), greeting=False))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/ask QUESTION`` (private chats and groups); the raw text after the command is the question.
    Without one (or with only the bot's mention), the usage hint."""
    parts = (update.effective_message.text or "").split(maxsplit=1)  # type: ignore[union-attr]
    await answer_question(update, context, parts[1] if len(parts) > 1 else "", if_empty="ask_usage")


async def private_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any plain text in a private chat is a question, but "lagi" or "more" alone, which shows the
    next extracts of the last answer, as in ``coverage-bot chat`` (:func:`paging.more_message`)."""
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    if (word := text.strip().rstrip("!.?…").casefold()) in MORE:  # "lagi!", "More."
        await more_message(update, context, "en" if MORE[word] == "en" else user_lang(update))
        return
    await answer_question(update, context, text)


async def group_mention_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, a message that mentions the bot is a question (the mention itself is removed by
    :func:`answer_question`), and so is a photo or file whose caption mentions it (read as in a
    private chat: :func:`non_text_message`)."""
    msg = update.effective_message
    me = f"@{context.bot.username}".lower()
    if msg.text is None:  # type: ignore[union-attr]
        mentions = msg.parse_caption_entities([MessageEntity.MENTION]).values()  # type: ignore[union-attr]
    else:
        mentions = msg.parse_entities([MessageEntity.MENTION]).values()  # type: ignore[union-attr]
    if me not in (m.lower() for m in mentions):
        return  # someone else was mentioned: not for us
    if msg.text is None:  # type: ignore[union-attr]
        await non_text_message(update, context)
        return
    await answer_question(update, context, msg.text)  # type: ignore[union-attr]


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/sources``: every indexed article with outlet, date and title (split over messages if long);
    in a group at most once a minute per user."""
    if not once_a_minute(update, context, "sources", in_private=False):
        return
    lang = user_lang(update)
    articles, unavailable = await indexed_sources(context, lang)
    if not articles:
        await reply_html(update, unavailable or render("sources_empty", lang))
        return
    blocks = [render("sources_header", lang, count=format_count(len(articles), lang))]
    blocks += [f"{i}. {e(plain_citation(a, lang))}" for i, a in enumerate(articles, start=1)]
    await reply_pages(update, blocks, sep="\n")  # a long list is split between articles


async def non_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, documents, voice… in a private chat: a caption with words is the question (a
    screenshot sent with "what does the coverage say about this?"); otherwise say only text is read
    (once a minute: :func:`reply_notice`)."""
    caption = (update.effective_message.caption or "").strip()  # type: ignore[union-attr]
    command, *rest = caption.split(maxsplit=1) or [""]
    if command.lower() in ("/ask", f"/ask@{context.bot.username}".lower()):
        caption = rest[0] if rest else ""  # "/ask QUESTION" as a caption: the question
    caption = question_text(context, caption)  # "@bot" alone is no question: the notice
    if has_words(caption) and not caption.startswith("/"):  # "/reindex" in a caption is not run
        await answer_question(update, context, caption)
        return
    await reply_notice(update, context, "non_text")


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message in a private chat is not re-answered; say how to ask again (once a minute)."""
    await reply_notice(update, context, "edited")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown command: point to /help (once a minute) in private chats, or in groups when
    addressed to us."""
    chat, msg = update.effective_chat, update.effective_message
    command = (msg.text or "").split(maxsplit=1)[0] if msg and msg.text else ""  # type: ignore[union-attr]
    if chat.type != ChatType.PRIVATE and not command.lower().endswith(f"@{context.bot.username}".lower()):  # type: ignore[union-attr]
        return
    await reply_notice(update, context, "unknown_command")


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the traceback; tell the user briefly what went wrong without server details (see
    :func:`error_text`). The bot keeps running. A network error while fetching updates (no update:
    a brief outage, a timeout) is one warning line without a traceback: python-telegram-bot retries
    the call itself, and an outage would otherwise fill the log with identical tracebacks."""
    error = context.error
    if update is None and isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        logger.warning("network error while fetching updates, retrying: %s: %s", type(error).__name__, error)
        return
    user = update.effective_user if isinstance(update, Update) else None
    logger.error("unhandled error user=%s", user.id if user else None, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await reply_html(update, error_text(error, user_lang(update), context))  # type: ignore[arg-type]
    except TelegramError as err:
        logger.warning("could not send the apology: %s", type(err).__name__)
