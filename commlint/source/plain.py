"""Plain text: the prose is the source; blocks are paragraphs separated by blank lines, and
lines quoted with `>` (mail quoting) are blocks of kind `quote` — the source decides, once, which
words are someone else's; rules skip them as their `skip_blocks` says."""

from __future__ import annotations

import re

from .prose import Block, OffsetMap, Prose

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\r?\n|\r[ \t]*\r")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


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
    if ">" not in chunk:
        _add_run(blocks, text, start, end, "paragraph")
        return
    run_start, run_kind = start, None
    for m in _LINE.finditer(chunk):
        if not m.group().strip():
            continue
        kind = "quote" if m.group().lstrip().startswith(">") else "paragraph"
        if run_kind is not None and kind != run_kind:
            _add_run(blocks, text, run_start, start + m.start(), run_kind)
            run_start = start + m.start()
        run_kind = kind
    _add_run(blocks, text, run_start, end, run_kind or "paragraph")


def _add_run(blocks: list[Block], text: str, start: int, end: int, kind: str) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    blocks.append(Block(start + lead, start + lead + len(stripped), kind))


def extract(text: str) -> Prose:
    return Prose(
        source=text,
        text=text,
        offsets=OffsetMap.identity(len(text)),
        blocks=paragraphs(text),
        body_end=len(text.rstrip()),
    )
