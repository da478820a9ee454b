"""A per-user sliding-window limit on questions (each question costs an embedding and a search),
also used, one a minute, for the fixed replies (a sticker's or an edit's notice, "slow down", and in
groups /help and the like): a flood of them gets one reply, not a flood of replies.

Telegram's own flood limits are handled separately by ``AIORateLimiter`` on outgoing calls.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Hashable


class UserRateLimiter:
    """At most ``per_minute`` requests (questions and «More» taps) per user in any 60-second window
    (``0`` disables the limit).

    A user is any hashable key: a Telegram user id, or (user id, chat id, kind) for the fixed replies.

    Memory is bounded: at most ``max_users`` users are tracked, least recently seen dropped first.
    Runs on the event loop only, so it needs no lock.
    """

    def __init__(self, per_minute: int, *, window: float = 60.0, max_users: int = 10_000) -> None:
        self.per_minute = per_minute
        self.window = window
        self.max_users = max_users
        self._hits: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def allow(self, user_id: Hashable, now: float | None = None) -> bool:
        """Record a question from ``user_id`` and say whether it is within the limit."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic() if now is None else now
        hits = self._hits.get(user_id)
        if hits is None:
            hits = self._hits[user_id] = deque()
        self._hits.move_to_end(user_id)
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        while len(self._hits) > self.max_users:
            self._hits.popitem(last=False)
        if len(hits) >= self.per_minute:
            return False
        hits.append(now)
        return True

    def retry_after(self, user_id: Hashable, now: float | None = None) -> float:
        """Seconds until ``user_id`` may ask again (0 when allowed now)."""
        hits = self._hits.get(user_id)
        if self.per_minute <= 0 or not hits or len(hits) < self.per_minute:
            return 0.0
        now = time.monotonic() if now is None else now
        return max(0.0, self.window - (now - hits[0]))
