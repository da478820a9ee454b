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
    (for the question remembered as ``qid``, or a newly remembered one)."""
    sources = () if answer.answered else (await indexed_sources(context, lang))[0]
    pages = format_answer_html(answer, lang, start_rank=offset + 1, sources=sources)
    markup = None
    if answer.answered and answer.more > 0:
        data = f"more:{qid or remember(context, answer, lang)}:{offset + len(answer.results)}"
        label = f"{plain('more_button', lang)} ({answer.more})"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
    for i, page in enumerate(pages):
        await reply_html(update, page, markup if i == len(pages) - 1 else None)


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
        await _say_expired(update)
        return
    offset = int(match.group(2))  # type: ignore[union-attr]
    if offset < entry.shown_until:
        await answer_tap(update, plain("more_shown", entry.lang))  # too old: the page was sent anyway
        return
    entry.shown_until = offset + PAGE_SIZE  # claimed before the first await: a second tap sees it
    try:
        if await throttled(update, context, entry.lang):
            entry.shown_until = offset
            return
        await answer_tap(update)  # a tap too old to answer still gets its page
        async with typing(update):
            answer = await asyncio.to_thread(context.bot_data["service"].ask, entry.question, k=PAGE_SIZE,
                                             offset=offset)
            if answer.index_version != entry.index_version:
                context.bot_data["questions"].pop(qid, None)
                await reply_html(update, render("more_stale", entry.lang))
            elif answer.results:
                await send_answer(update, context, answer, entry.lang, offset=offset, qid=qid)
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
    await _say_expired(update)


async def _say_expired(update: Update) -> None:
    """Tell the user that the question behind a tap is gone: as an alert, or, when the tap is too old
    for one (it was made while the bot was down), as a message."""
    lang = user_lang(update)
    if not await answer_tap(update, plain("more_expired", lang), show_alert=True):
        await reply_html(update, render("more_expired", lang))
