"""Split Telegram HTML into messages within Telegram's 4096-character limit.

Messages are split only between blocks (e.g. extracts); a single oversized block is cut at a
sentence/word boundary, never inside a tag or an entity, with the open tags closed and reopened.
"""

from __future__ import annotations

import re

#: Telegram's limit for one message's text (after entity parsing).
TELEGRAM_LIMIT = 4096

_ATOM_RE = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);|[\s\S]", re.UNICODE)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)")
_STRIP_TAGS_RE = re.compile(r"<[^<>]*>")


def html_length(text: str) -> int:
    """Length in UTF-16 code units of the raw HTML: an upper bound of what Telegram counts
    (it counts the text after entity parsing, and astral characters such as emoji count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _close_tags(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _cut_block(block: str, limit: int, first: int | None = None) -> list[str]:
    """Cut one oversized HTML block into pieces ≤ ``limit`` (the first ≤ ``first``, the room left in
    a message already begun), at a sentence end when there is one in the second half of the piece,
    else at a space, else anywhere between characters — never inside a tag or an entity. Tags open
    at the cut are closed and reopened in the next piece. The first piece is cut only between words:
    when not one word fits in ``first``, it gets the whole ``limit`` (and a message of its own)."""
    atoms = _ATOM_RE.findall(block)
    pieces: list[str] = []
    stack: list[tuple[str, str]] = []
    budget = limit if first is None else min(first, limit)
    i = 0
    while i < len(atoms):
        prefix = "".join(opening for _, opening in stack)
        out, length = [prefix], html_length(prefix)
        cur = list(stack)
        best_sentence = best_space = best_any = None  # (atom index, out length, stack copy)
        j = i
        while j < len(atoms):
            atom = atoms[j]
            m = _TAG_RE.match(atom) if atom.startswith("<") else None
            new_stack = cur
            if m and m.group(1):
                new_stack = cur[:-1] if cur and cur[-1][0] == m.group(2).lower() else cur
            elif m and not atom.endswith("/>"):
                new_stack = cur + [(m.group(2).lower(), atom)]
            if length + html_length(atom) + html_length(_close_tags(new_stack)) > budget:
                break
            out.append(atom)
            length += html_length(atom)
            cur = new_stack
            j += 1
            if not m and len(out) > 1:
                state = (j, len(out), list(cur))
                best_any = state
                if atom.isspace():
                    best_space = state
                    if len(out) > 2 and out[-2] in '.!?»…"”':
                        best_sentence = state
        if j >= len(atoms):
            pieces.append("".join(out) + _close_tags(cur))
            break
        chosen = best_sentence if best_sentence and best_sentence[1] * 2 >= len(out) else None
        chosen = chosen or best_space or (best_any if budget == limit else None)
        if chosen is None and budget < limit:  # not one word fits in the room left: a message of its own
            budget = limit
            continue
        if chosen is None:  # nothing fits besides tags: the limit is absurdly small
            raise ValueError(f"limit {limit} too small to split HTML safely")
        j, n_out, cur = chosen
        pieces.append("".join(out[:n_out]).rstrip() + _close_tags(cur))
        budget = limit
        stack = cur
        i = j
        while i < len(atoms) and atoms[i].isspace():
            i += 1
    return [p for p in pieces if _STRIP_TAGS_RE.sub("", p).strip()]


def split_html_messages(blocks: list[str], limit: int = TELEGRAM_LIMIT, sep: str = "\n\n") -> list[str]:
    """Pack HTML blocks into as few messages ≤ ``limit`` as possible, joined by ``sep`` (a blank line).

    Messages are split only between blocks (extracts), never inside a tag; a single block over the
    limit is cut by :func:`_cut_block`, its first piece filling the room the message holding the
    blocks before it has left (a question's header is never sent alone). Length is measured on the
    raw HTML in UTF-16 units, which is never less than what Telegram counts, so every message is
    accepted.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        block = block.strip()
        if not block:
            continue
        if html_length(block) <= limit:
            parts = [block]
        else:  # the first piece fills what the current message has left
            parts = _cut_block(block, limit, first=limit - html_length(current + sep) if current else None)
        for part in parts:
            candidate = f"{current}{sep}{part}" if current else part
            if html_length(candidate) <= limit:
                current = candidate
            else:
                if current:
                    messages.append(current)
                current = part
    if current:
        messages.append(current)
    return messages
