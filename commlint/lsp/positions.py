"""Character offsets ↔ LSP positions, exactly.

commlint's findings carry offsets in Python characters (code points) into the source text. LSP
positions are (line, character) where `character` counts code units of the negotiated position
encoding — UTF-16 unless the client offers another — so an emoji or any other character outside
the Basic Multilingual Plane counts 2. Lines end at `\\r\\n`, `\\r` or `\\n`, as LSP defines them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def code_units(text: str, encoding: str = UTF16) -> int:
    """How many code units `text` takes in the position encoding."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    # UTF-16: one unit per character, two for an astral one (a lone surrogate counts one).
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


@dataclass
class LineIndex:
    """One text's line starts, for converting offsets to positions and back."""

    text: str
    encoding: str = UTF16
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]

    def line_end(self, line: int) -> int:
        """Offset of the end of a line's content (before its line break)."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        while end > self.starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def position(self, offset: int) -> tuple[int, int]:
        """Character offset → (line, character in code units), both 0-based."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        # An offset between \r and \n belongs to the end of the line's content.
        offset = min(offset, self.line_end(line)) if offset > self.line_end(line) else offset
        return line, code_units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """(line, character in code units) → character offset; past the end of a line clamps to it."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        units = 0
        for index in range(start, end):
            if units >= character:
                return index
            units += code_units(self.text[index], self.encoding)
        return end
