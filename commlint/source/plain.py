"""Plain text: the prose is the source; blocks are paragraphs separated by blank lines."""

from __future__ import annotations

import re

from .prose import Block, OffsetMap, Prose

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\r?\n|\r[ \t]*\r")


def paragraphs(text: str) -> list[Block]:
    blocks: list[Block] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        _add(blocks, text, pos, m.start())
        pos = m.end()
    _add(blocks, text, pos, len(text))
    return blocks


def _add(blocks: list[Block], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    blocks.append(Block(start + lead, start + lead + len(stripped), "paragraph"))


def extract(text: str) -> Prose:
    return Prose(
        source=text,
        text=text,
        offsets=OffsetMap.identity(len(text)),
        blocks=paragraphs(text),
        body_end=len(text.rstrip()),
    )
