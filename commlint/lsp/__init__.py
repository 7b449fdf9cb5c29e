"""The language server: `commlint lsp` (see `server`). `positions` converts offsets to LSP
positions, `documents` finds a document's settings and format, `actions` builds quick fixes."""

from __future__ import annotations
