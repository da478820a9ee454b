"""Answers with a «Lainnya»/«More» button: the question stays server-side under a short id, and
each tap sends the next page of the same ranking (ranks continue).
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.formatting import format_answer_html
from bot.language import Lang
from embeddings.records import Answer

from .messages import plain, render
from .replies import answer_tap, indexed_sources, reply_html, throttled, typing, user_lang

logger = logging.getLogger(__name__)

PAGE_SIZE = 5
MAX_REMEMBERED_QUESTIONS = 1000
_MORE_DATA = re.compile(r"^more:([A-Za-z0-9_-]{1,16}):(\d{1,4})$")
#: ``chat_data`` key of the last "More" button a chat was sent: (callback data, message id), or None.
LAST_BUTTON = "last_more_button"


@dataclass
class Remembered:
    """A question kept server-side for its "More" button (the callback data holds only an id)."""

    question: str
    lang: Lang
    index_version: str  # what the index that answered held: pages from other content would not continue
    shown_until: int  # results before this offset were sent, or are being sent (a double tap is ignored)


def remember(context: ContextTypes.DEFAULT_TYPE, answer: Answer, lang: Lang) -> str:
    """Keep the question under a short id (bounded, oldest dropped); returns the id."""
    questions: OrderedDict[str, Remembered] = context.bot_data["questions"]
    qid = secrets.token_urlsafe(6)
    questions[qid] = Remembered(answer.question, lang, answer.index_version, len(answer.results))
    while len(questions) > MAX_REMEMBERED_QUESTIONS:
        questions.popitem(last=False)
    return qid


async def send_answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Answer, lang: Lang, offset: int,
    qid: str | None = None,
) -> None:
    """Send an answer page (abstain text with a coverage hint when unanswered) and its "More" button
    (for the question remembered as ``qid``, or a newly remembered one). The chat remembers the
    button of its last answer, for a "lagi"/"more" typed instead of tapping it (:func:`more_message`):
    a new answer's, or the next page's of that answer (a tap on an older answer's button leaves it);
    an answer without one (nothing more to show) leaves nothing to page on."""
    sources = () if answer.answered else (await indexed_sources(context, lang))[0]
    pages = format_answer_html(answer, lang, start_rank=offset + 1, sources=sources)
    markup = data = None
    if answer.answered and answer.more > 0:
        data = f"more:{qid or remember(context, answer, lang)}:{offset + len(answer.results)}"
        label = f"{plain('more_button', lang)} ({answer.more})"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
    for i, page in enumerate(pages):
        sent = await reply_html(update, page, markup if i == len(pages) - 1 else None)
    if qid is None or _last_button_of(context) == qid:  # a new answer, or the next page of the last one
        _set_last_button(context, (data, sent.message_id) if data else None)


async def more_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "More" button: the next page of the same question (ranks continue), kept server-side.
    The button is removed once that page was sent (see :func:`_next_page`)."""
    query = update.callback_query
    if await _next_page(update, context, query.data or ""):  # type: ignore[union-attr]
        with suppress(BadRequest):  # the button may already be gone
            await query.edit_message_reply_markup(reply_markup=None)  # type: ignore[union-attr]


async def more_message(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: Lang) -> None:
    """"lagi" or "more" typed in a private chat, as in ``coverage-bot chat``: a tap on the last
    "More" button this chat was sent (the button then goes, as after a tap); with none, how to page."""
    last = (context.chat_data or {}).get(LAST_BUTTON)
    if last is None:
        await reply_html(update, render("more_nothing", lang))
        return
    data, message_id = last
    if await _next_page(update, context, data):
        with suppress(BadRequest):
            await context.bot.edit_message_reply_markup(update.effective_chat.id, message_id,  # type: ignore[union-attr]
                                                        reply_markup=None)  # fmt: skip


async def _next_page(update: Update, context: ContextTypes.DEFAULT_TYPE, data: str) -> bool:
    """Send the page a "More" button's ``data`` asks for; True once it (or the reason there is none)
    was sent, so the button can go.

    Until then the button stays, so a failed attempt can be retried; a second tap while (or after)
    the page is sent is ignored; after a re-index that changed the coverage, the user is asked to
    send the question again rather than get a page of a different ranking (it could repeat extracts
    already shown).
    """
    match = _MORE_DATA.match(data)
    qid = match.group(1) if match else ""
    entry: Remembered | None = context.bot_data["questions"].get(qid)
    if entry is None:  # forgotten (the oldest of MAX_REMEMBERED_QUESTIONS), or from before a restart
        _forget_last_button(context, qid)  # else "lagi" would say "expired" until a new answer came
        await _say(update, "more_expired", user_lang(update), alert=True)
        return False
    offset = int(match.group(2))  # type: ignore[union-attr]
    if offset < entry.shown_until:
        await _say(update, "more_shown", entry.lang)
        return False
    entry.shown_until = offset + PAGE_SIZE  # claimed before the first await: a second tap sees it
    try:
        if await throttled(update, context, entry.lang):
            entry.shown_until = offset
            return False
        if update.callback_query:
            await answer_tap(update)  # a tap too old to answer still gets its page
        async with typing(update):
            answer = await asyncio.to_thread(context.bot_data["service"].ask, entry.question, k=PAGE_SIZE,
                                             offset=offset)
            if answer.index_version != entry.index_version:
                context.bot_data["questions"].pop(qid, None)
                await reply_html(update, render("more_stale", entry.lang))
                _forget_last_button(context, qid)  # its button goes: "lagi" has nothing left to page
            elif answer.results:
                await send_answer(update, context, answer, entry.lang, offset=offset, qid=qid)
            else:
                await reply_html(update, render("more_none", entry.lang))
                _forget_last_button(context, qid)
    except BaseException:
        entry.shown_until = offset  # the page was not sent: the button can be pressed again
        raise
    logger.info("more user=%s offset=%d results=%d", update.effective_user.id, offset, len(answer.results))  # type: ignore[union-attr]
    return True


def _last_button_of(context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The question id of the last "More" button this chat was sent (``None``: none to page on)."""
    last = (context.chat_data or {}).get(LAST_BUTTON)
    match = _MORE_DATA.match(last[0]) if last else None
    return match.group(1) if match else None


def _set_last_button(context: ContextTypes.DEFAULT_TYPE, button: tuple[str, int] | None) -> None:
    if context.chat_data is not None:
        context.chat_data[LAST_BUTTON] = button


def _forget_last_button(context: ContextTypes.DEFAULT_TYPE, qid: str) -> None:
    """Leave "lagi" nothing to page on when the chat's last button is question ``qid``'s."""
    if _last_button_of(context) == qid:
        _set_last_button(context, None)


async def unknown_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button this bot does not know (say, from an older version): stop the client's spinner and
    say the question expired, rather than leave the tap unanswered."""
    await _say(update, "more_expired", user_lang(update), alert=True)


async def _say(update: Update, key: str, lang: Lang, *, alert: bool = False) -> None:
    """Say the fixed text ``key``: on a tap, as a toast (or an alert); typed, or on a tap too old for
    one (made while the bot was down), as a message. A tap too old for "already sent" needs nothing."""
    if update.callback_query:
        if await answer_tap(update, plain(key, lang), show_alert=alert) or not alert:
            return
    await reply_html(update, render(key, lang))
