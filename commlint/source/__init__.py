"""Input formats. Each module turns a source text into `Prose`: the words spaCy reads,
an exact map from prose offsets back to source offsets, and the blocks the prose is made of.

Formats register themselves in `FORMATS`; `extract(text, fmt)` is the one entry point.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from ..errors import ConfigError
from .prose import Block, OffsetMap, Prose, ProseBuilder, mail_header_end

Extractor = Callable[[str], Prose]

FORMATS: dict[str, Extractor] = {}

# File extension → format name. Unknown extensions are read as plain text.
EXTENSIONS: dict[str, str] = {".txt": "plain", ".text": "plain", "": "plain"}


def register(name: str, extractor: Extractor, extensions: tuple[str, ...] = ()) -> None:
    FORMATS[name] = extractor
    for ext in extensions:
        EXTENSIONS[ext] = name


def format_for_path(path: str | Path) -> str:
    return EXTENSIONS.get(Path(path).suffix.lower(), "plain")


# Used with .match(text, pos): anchored where the body starts.
_HTML_START = re.compile(r"\s*(?:<!doctype html|<html|<body|<div|<p[ >]|<table|<br\s*/?>|<span|<blockquote)", re.I)
_MARKDOWN_SIGNS = re.compile(r"^(?:```|~~~|#{1,6} \S)", re.M)


def format_for_file(path: str | Path, text: str) -> str:
    """The format of a named file: its extension's, except that a plain-text file (`.txt`, or an
    extension no format claims) whose text opens with an HTML element is read as HTML: an HTML
    e-mail body saved or pasted as text (under the mail's own header lines or not), whose
    paragraphs would otherwise run together."""
    fmt = format_for_path(path)
    if fmt == "plain" and _opens_with_html(text):
        return "html"
    return fmt


def _opens_with_html(text: str) -> bool:
    """The text, or the body under a saved mail's own header block, opens with an HTML element."""
    return bool(_HTML_START.match(text, mail_header_end(text)))


def sniff_format(text: str) -> str:
    """The format of text that came without a name (standard input): HTML when it opens with an
    HTML element, Markdown when it has a fenced code block or an ATX heading; else plain."""
    if _opens_with_html(text):
        return "html"
    if _MARKDOWN_SIGNS.search(text[:20_000]):
        return "markdown"
    return "plain"


def extract(text: str, fmt: str = "plain") -> Prose:
    try:
        extractor = FORMATS[fmt]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ConfigError(f"unknown input format {fmt!r}; use one of: {known}") from None
    return extractor(text)


def _register_builtin() -> None:
    from . import html, markdown, plain

    register("plain", plain.extract, (".txt", ".text"))
    register("markdown", markdown.extract, (".md", ".markdown", ".mdown"))
    register("html", html.extract, (".html", ".htm"))


_register_builtin()

__all__ = [
    "Block",
    "EXTENSIONS",
    "FORMATS",
    "OffsetMap",
    "Prose",
    "ProseBuilder",
    "extract",
    "format_for_file",
    "format_for_path",
    "register",
    "sniff_format",
]
