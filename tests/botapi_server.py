"""A small local Telegram Bot API server for driving the real python-telegram-bot stack in tests.

It implements what the bot calls (``getMe``, ``deleteWebhook``, ``getUpdates`` with long polling that
honours ``offset``/``timeout``/``limit``, ``sendMessage``, ``editMessageText``,
``editMessageReplyMarkup``, ``sendChatAction``, ``answerCallbackQuery``, ``setMyCommands``, ``close``,
``logOut`` …), accepts JSON, form-encoded (what PTB 22 sends: nested values JSON-encoded) and
multipart bodies, records every call, and rejects what Telegram rejects — HTML with unsupported
tags, unbalanced tags, a bare ``<``/``>``/``&``, text over 4096 characters after entity parsing,
empty text, callback data over 64 bytes — with Telegram's ``{"ok": false, "error_code": 400, ...}``.

Several bots (tokens) can share one server; each :class:`FakeBot` has its own update queue, calls
and helpers to push updates and wait for the bot's calls.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}  # fmt: skip
#: Form fields whose values are JSON-encoded objects/arrays.
JSON_FIELDS = {
    "reply_markup", "commands", "allowed_updates", "scope", "entities", "link_preview_options",
    "reply_parameters", "caption_entities",
}  # fmt: skip
#: Form fields that stay strings even when they look like numbers or booleans.
STRING_FIELDS = {"text", "parse_mode", "action", "callback_query_id", "language_code", "url", "secret_token",
                 "ip_address"}  # fmt: skip

_ATTR = r"""[A-Za-z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?"""
_TAG_RE = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR})*)\s*>")
_ATTR_RE = re.compile(r"([A-Za-z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9A-Fa-f]+);")


def _entity_error(detail: str) -> BotAPIError:
    return BotAPIError(f"Bad Request: can't parse entities: {detail}")


class BotAPIError(Exception):
    """A request Telegram would refuse; becomes an ``ok: false`` response."""

    def __init__(self, description: str, code: int = 400, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.description, self.code, self.parameters = description, code, parameters


def utf16_len(text: str) -> int:
    """Telegram counts lengths and entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """Validate Telegram HTML the way the Bot API does and return the visible text.

    Raises :class:`BotAPIError` ("Bad Request: can't parse entities: …") for unsupported tags,
    unbalanced or mis-nested tags, and a bare ``<``, ``>`` or ``&`` (an ``&`` must start one of
    ``&lt; &gt; &amp; &quot; &#NN; &#xHH;``).
    """
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        offset = len(text[:i].encode())
        if ch == "<":
            m = _TAG_RE.match(text, i)
            if not m:
                raise _entity_error(f"Unexpected start tag at byte offset {offset}")
            closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
            if name not in ALLOWED_TAGS:
                raise _entity_error(f'Unsupported start tag "{name}" at byte offset {offset}')
            if closing:
                if not stack or stack[-1] != name:
                    expected = stack[-1] if stack else ""
                    raise _entity_error(
                        f"Unmatched end tag at byte offset {offset}, "
                        f'expected "</{expected}>", found "</{name}>"'
                    )
                stack.pop()
            else:
                _check_attributes(name, dict(
                    (a.group(1).lower(), a.group(2) or a.group(3) or a.group(4) or "")
                    for a in _ATTR_RE.finditer(attrs)
                ), offset)  # fmt: skip
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY_RE.match(text, i)
            if not m:
                raise _entity_error(f"Character entity expected at byte offset {offset}")
            out.append(html.unescape(m.group(0)))
            i = m.end()
        elif ch == ">":
            raise _entity_error(f"Unexpected end tag at byte offset {offset}")
        else:
            out.append(ch)
            i += 1
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _check_attributes(name: str, attrs: dict[str, str], offset: int) -> None:
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _entity_error(f'Unsupported start tag "span" at byte offset {offset}')
    if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
        raise _entity_error("Custom emoji entity must have emoji-id")
    if name == "a" and "href" not in attrs:
        raise _entity_error("Link must have href")


@dataclass
class Call:
    """One recorded Bot API call (including refused ones: ``ok`` false, ``description`` set)."""

    index: int
    method: str
    params: dict[str, Any]
    content_type: str
    ok: bool = True
    result: Any = None
    description: str | None = None
    parameters: dict[str, Any] | None = None  # a refusal's ``parameters`` (flood control's retry_after)
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))


class FakeBot:
    """The server-side state of one bot token: pending updates, chats, messages and recorded calls."""

    def __init__(self, token: str, username: str, bot_id: int) -> None:
        self.token, self.username, self.id = token, username, bot_id
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []  # not yet confirmed by an offset
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.callback_queries: dict[str, bool] = {}  # id -> answered
        self.chats: dict[int, dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        self.floods: dict[str, int] = {}  # method -> retry_after for its next call (see flood_next)
        self.failures: dict[str, tuple[int, str, int]] = {}  # method -> a call's failure (see fail_next)
        self.injected: set[int] = set()  # indexes of the calls fail_next failed
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._changed = asyncio.Condition()

    # ---------------------------------------------------------------------------------- pushing

    @property
    def user(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": True, "first_name": "Coverage", "username": self.username}

    def _user(self, user_id: int, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, chat_id: int, chat_type: str) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{chat_id}"
        else:
            chat["title"] = f"Group{chat_id}"
        self.chats[chat_id] = chat
        return chat

    def _push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    @staticmethod
    def entities_for(text: str) -> list[dict[str, Any]]:
        """``bot_command`` at offset 0 for ``/cmd…`` and ``mention`` for ``@names`` (UTF-16 offsets)."""
        entities = []
        for m in re.finditer(r"(?:^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)|@[A-Za-z0-9_]{5,}", text):
            kind = "bot_command" if m.group(0).startswith("/") else "mention"
            start, length = utf16_len(text[: m.start()]), utf16_len(m.group(0))
            entities.append({"type": kind, "offset": start, "length": length})
        return entities

    def user_message(
        self, user_id: int, *, chat_id: int | None = None, chat_type: str = "private",
        language_code: str | None = "id", **content: Any,
    ) -> dict[str, Any]:  # fmt: skip
        """A message dict from a user (private chat with them unless ``chat_id``/``chat_type`` say)."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id if chat_id is not None else user_id, chat_type),
            "from": self._user(user_id, language_code),
            **content,
        }
        for text_field, entities_field in (("text", "entities"), ("caption", "caption_entities")):
            if text_field in content and entities_field not in content:
                entities = self.entities_for(content[text_field])
                if entities:
                    message[entities_field] = entities
        return message

    def push_message(self, user_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """Push a text message (commands and @mentions get their entities automatically)."""
        return self._push("message", self.user_message(user_id, text=text, **kwargs))

    def push_edited_message(self, user_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        message = self.user_message(user_id, text=text, **kwargs)
        message["edit_date"] = int(time.time())
        return self._push("edited_message", message)

    def push_sticker(self, user_id: int, **kwargs: Any) -> dict[str, Any]:
        sticker = {"file_id": "STK1", "file_unique_id": "stk1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}  # fmt: skip
        return self._push("message", self.user_message(user_id, sticker=sticker, **kwargs))

    def push_photo(self, user_id: int, **kwargs: Any) -> dict[str, Any]:
        photo = [{"file_id": "PH1", "file_unique_id": "ph1", "width": 90, "height": 90}]
        return self._push("message", self.user_message(user_id, photo=photo, **kwargs))

    def push_document(self, user_id: int, **kwargs: Any) -> dict[str, Any]:
        document = {"file_id": "DOC1", "file_unique_id": "doc1", "file_name": "a.pdf"}
        return self._push("message", self.user_message(user_id, document=document, **kwargs))

    def push_callback_query(
        self, user_id: int, data: str, message: dict[str, Any], language_code: str | None = "id"
    ) -> dict[str, Any]:
        """Press an inline button with ``data`` on ``message`` (a message the bot sent)."""
        query_id = str(next(self._callback_ids))
        self.callback_queries[query_id] = False
        return self._push("callback_query", {
            "id": query_id, "from": self._user(user_id, language_code), "chat_instance": "ci",
            "data": data, "message": message,
        })  # fmt: skip

    # ---------------------------------------------------------------------------------- waiting

    def mark(self) -> int:
        """The index of the next call: pass it as ``since`` to only look at later calls."""
        return len(self.calls)

    def refused(self, *, flood_allowed: bool = False) -> list[tuple[str, str | None]]:
        """(method, description) of every call the server refused, as Telegram would, but those
        :meth:`fail_next` failed; with ``flood_allowed``, not the 429s a test asked for (:meth:`flood_next`)."""
        return [(c.method, c.description) for c in self.calls
                if not c.ok and c.index not in self.injected and not (flood_allowed and c.result == 429)]

    def calls_of(
        self, method: str, predicate: Callable[[Call], bool] | None = None, since: int = 0
    ) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method and (predicate is None or predicate(c))]

    async def wait_for(
        self, method: str, predicate: Callable[[Call], bool] | None = None, timeout: float = 10.0,
        since: int = 0, count: int = 1,
    ) -> Call:  # fmt: skip
        """Wait until ``count`` calls of ``method`` matching ``predicate`` were made (from ``since``);
        returns the last of them. Raises ``TimeoutError`` listing what was called instead."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                found = self.calls_of(method, predicate, since)
                if len(found) >= count:
                    return found[count - 1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.text[:80]) for c in self.calls[since:] if c.method != "getUpdates"]
                    raise TimeoutError(f"no {count}x {method} matching within {timeout}s; calls: {seen}")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    pass

    async def settle(self, quiet: float = 0.5, since: int = 0) -> None:
        """Wait until no non-polling call has been made for ``quiet`` seconds."""
        while True:
            recent = [c for c in self.calls[since:] if c.method != "getUpdates"]
            last = recent[-1].at if recent else 0.0
            if time.monotonic() - last >= quiet:
                return
            await asyncio.sleep(quiet / 4)

    def fail_next(self, method: str, code: int = 502, description: str = "Bad Gateway", after: int = 0) -> None:
        """Answer a ``method`` call with an error, as Telegram does in an outage (502 Bad Gateway by
        default): the next one, or the one after ``after`` more succeed. Not counted by
        :meth:`refused`: the test asked for it."""
        self.failures[method.lower()] = (code, description, after)

    def flood_next(self, method: str, retry_after: int = 1) -> None:
        """Answer the next ``method`` call with Telegram's flood control: 429 "retry after N"."""
        self.floods[method.lower()] = retry_after

    # --------------------------------------------------------------------------------- handling

    async def handle(self, method: str, params: dict[str, Any], content_type: str) -> Call:
        call = Call(index=len(self.calls), method=method, params=params, content_type=content_type)
        try:
            handler = getattr(self, f"_api_{method.lower()}", None)
            if handler is None:
                raise BotAPIError("Not Found: method not found", 404)
            if (failure := self.failures.pop(method.lower(), None)) is not None:
                code, description, after = failure
                if after:
                    self.failures[method.lower()] = (code, description, after - 1)
                else:
                    self.injected.add(call.index)
                    raise BotAPIError(description, code)
            if (retry_after := self.floods.pop(method.lower(), None)) is not None:
                raise BotAPIError(f"Too Many Requests: retry after {retry_after}", 429,
                                  {"retry_after": retry_after})
            call.result = await handler(params)
        except BotAPIError as err:
            call.ok, call.description, call.parameters = False, err.description, err.parameters
            call.result = err.code
        self.calls.append(call)
        await self._notify()
        return call

    async def _api_getme(self, params: dict) -> dict:
        return {**self.user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}  # fmt: skip

    async def _api_getupdates(self, params: dict) -> list:
        if self.webhook:
            raise BotAPIError(
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
                409,
            )
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self.updates and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
        return self.updates[: max(1, min(limit, 100))]

    async def _api_deletewebhook(self, params: dict) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    async def _api_setwebhook(self, params: dict) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise BotAPIError("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        if url and (urlsplit(url).port or 443) not in (80, 88, 443, 8443):
            raise BotAPIError("Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise BotAPIError("Bad Request: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret} if url else None
        return True

    async def _api_getwebhookinfo(self, params: dict) -> dict:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": len(self.updates)}

    async def _api_close(self, params: dict) -> bool:
        return True

    async def _api_logout(self, params: dict) -> bool:
        return True

    async def _api_setmycommands(self, params: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not commands:
            raise BotAPIError("Bad Request: commands must be a non-empty array")
        for cmd in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", cmd.get("command", "")):
                raise BotAPIError("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(cmd.get("description", "")) <= 256:
                raise BotAPIError("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        if scope.get("type") == "chat":  # Telegram knows a private chat only once the user started the bot
            self._known_chat({"chat_id": scope.get("chat_id")})
        return True

    async def _api_sendchataction(self, params: dict) -> bool:
        self._known_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise BotAPIError("Bad Request: wrong parameter action in request")
        return True

    async def _api_answercallbackquery(self, params: dict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self.callback_queries:
            raise BotAPIError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text", ""))) > 200:
            raise BotAPIError("Bad Request: MESSAGE_TOO_LONG")
        self.callback_queries[query_id] = True
        return True

    async def _api_sendmessage(self, params: dict) -> dict:
        chat = self._known_chat(params)
        text = self._checked_text(params)
        message = {
            "message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
            "from": self.user, "text": text,
        }  # fmt: skip
        markup = self._checked_markup(params)
        if markup:
            message["reply_markup"] = markup
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    async def _api_editmessagetext(self, params: dict) -> dict:
        message = self._known_message(params)
        text = self._checked_text(params)
        markup = self._checked_markup(params)
        if text == message["text"] and markup == message.get("reply_markup"):
            raise BotAPIError(
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        message.update(text=text, edit_date=int(time.time()))
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    async def _api_editmessagereplymarkup(self, params: dict) -> dict:
        message = self._known_message(params)
        markup = self._checked_markup(params)
        if markup == message.get("reply_markup"):
            raise BotAPIError("Bad Request: message is not modified")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    def _known_chat(self, params: dict) -> dict:
        try:
            chat_id = int(params.get("chat_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise BotAPIError("Bad Request: chat not found") from None
        if chat_id not in self.chats:
            raise BotAPIError("Bad Request: chat not found")
        return self.chats[chat_id]

    def _known_message(self, params: dict) -> dict:
        chat = self._known_chat(params)
        message = self.messages.get((chat["id"], int(params.get("message_id") or 0)))
        if message is None:
            raise BotAPIError("Bad Request: message to edit not found")
        return message

    @staticmethod
    def _checked_text(params: dict) -> str:
        raw = str(params.get("text") or "")
        mode = str(params.get("parse_mode") or "")
        text = parse_html(raw) if mode.upper() == "HTML" else raw
        if not text.strip():
            raise BotAPIError("Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise BotAPIError("Bad Request: message is too long")
        return text

    @staticmethod
    def _checked_markup(params: dict) -> dict | None:
        markup = params.get("reply_markup")
        if not markup or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise BotAPIError("Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise BotAPIError("Bad Request: BUTTON_TEXT_INVALID")
        return markup


def _decode_form_value(key: str, value: str) -> Any:
    if key in JSON_FIELDS:
        return json.loads(value)
    if key in STRING_FIELDS:
        return value
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a webhook server under test)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeBotAPI:
    """The HTTP server: ``/bot<token>/<method>`` routed to the :class:`FakeBot` of that token."""

    def __init__(self) -> None:
        self.bots: dict[str, FakeBot] = {}
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._bot_ids = itertools.count(7_000_000_001)

    @property
    def base_url(self) -> str:
        """The value for ``TELEGRAM_API_BASE_URL``."""
        return f"http://127.0.0.1:{self.port}/bot"

    def add_bot(self, token: str, username: str = "coverage_test_bot") -> FakeBot:
        bot = FakeBot(token, username, next(self._bot_ids))
        self.bots[token] = bot
        return bot

    async def start(self) -> None:
        """Listen on a free port, or again on the same one after :meth:`stop` (an outage's end)."""
        app = web.Application()
        app.router.add_route("*", r"/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Stop listening (the bots' state is kept): connections to the server are refused."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        bot = self.bots.get(request.match_info["token"])
        if bot is None:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        content_type = request.content_type
        try:
            params: dict[str, Any] = {k: _decode_form_value(k, v) for k, v in request.query.items()}
            if request.can_read_body:
                if content_type == "application/json":
                    params.update(await request.json())
                else:  # application/x-www-form-urlencoded or multipart/form-data
                    form = await request.post()
                    params.update(
                        {k: _decode_form_value(k, v) for k, v in form.items() if isinstance(v, str)}
                    )
        except (json.JSONDecodeError, ValueError):
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: can't parse request body"},
                status=400,
            )
        call = await bot.handle(request.match_info["method"], params, content_type)
        if call.ok:
            return web.json_response({"ok": True, "result": call.result})
        refusal = {"ok": False, "error_code": call.result, "description": call.description}
        if call.parameters:
            refusal["parameters"] = call.parameters
        return web.json_response(refusal, status=call.result)
