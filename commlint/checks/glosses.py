"""What the acronym and jargon checks share about glosses: text after a term that looks like one
but is not.

"After a change to the TPM, the laptop will ask for the key": a comma (or a dash) and "the" after a
term open an appositive gloss ("the TPM, the security chip in your laptop, …", "Intune – the system
we use to manage laptops") only when no verb follows the noun phrase; when one does, the comma closed
an opening clause and the main clause begins ("… in Intune – the TPM attestation is failing").

The same after a colon: "thermal throttling: the CPU is hitting 98°C" reports what is happening, it
does not say what the term means ("cache: the copies your browser keeps" does); and a colon followed
by an instruction ("check it has an IP address: open a command prompt and run …") opens a step.

Options (each the name of a word list under `lists:`, rules/default/labels.yaml):
  clause_openers:   words that open the noun phrase after the comma ("the", "your")
  clause_verbs:     verbs whose arrival within three words makes it a clause ("will", "is")
  clause_relatives: words that make the phrase a gloss after all ("the chip that is …")
  clause_instructions: verbs that, right after a colon, open an instruction ("open", "run")
Without them nothing is read as a clause. The words are matched literally (escaped), in a fixed
expression with bounded repetition on a bounded window: linear in the text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..patterns import PatternSet, compile_options, literal_alternation
from ..rulepack.options import OptionReader
from .base import PackContext

if TYPE_CHECKING:  # pragma: no cover
    from ..source.prose import Prose


class ClauseAfter:
    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        openers = self._words(opts, ctx, "clause_openers")
        verbs = self._words(opts, ctx, "clause_verbs")
        relatives = self._words(opts, ctx, "clause_relatives")
        instructions = self._words(opts, ctx, "clause_instructions")
        self._clause = None
        self._step = None
        if openers and verbs:
            not_relative = rf"(?!(?:{relatives})\b)" if relatives else ""
            self._clause = re.compile(
                rf"\s*(?:,|:|[–—-](?!\S))\s*(?:{openers})\s+(?:{not_relative}[\w'’-]+\s+){{0,3}}?(?:{verbs})\b", re.IGNORECASE)
        if instructions:
            # an instruction verb, then the noun phrase it acts on (opened by one of `clause_openers`)
            self._step = re.compile(rf"\s*:\s*(?:{instructions})\s+(?:{openers})\b", re.IGNORECASE) if openers else None

    @staticmethod
    def _words(opts: OptionReader, ctx: PackContext, key: str) -> str:
        name = opts.str(key)
        if name is None:
            return ""
        values = ctx.named_list(name)
        if values is None or isinstance(values, dict) or not values:
            raise opts.error(key, f"no list of words named '{name}' is defined", "define it under 'lists:' in a pack file")
        return literal_alternation(values)

    def opens(self, after: str) -> bool:
        """The text right after a term starts a new clause (", the laptop will ask …", " – the check
        is failing", ": the CPU is hitting …") or a step (": open a command prompt"), so what follows
        is no gloss."""
        return (self._clause is not None and self._clause.match(after) is not None) or \
            (self._step is not None and self._step.match(after) is not None)


class TableDefinitions:
    """A definition table: a row whose first cell holds the term (alone, or with a word or two
    more: "Cloud-only content", "HTTP/HTTPS packet capture (Fiddler)": only a code in capitals before it)
    and whose later cell says something about it in a sentence of at least `table_definition_words` words
    ("| Cloud-only content | (icon) | Cloud-only content shows in the virtual drive, but …|", "| VPN | The
    secure connection to the office network |").
    The term is explained there, wherever else it is used. Layout only: cells, rows and word
    counts (option `table_definition_words`, 0 or absent: off)."""

    EXTRA_WORDS = 2  # words the first cell may hold beyond the term

    def __init__(self, opts: OptionReader) -> None:
        words = opts.number("table_definition_words", 0) or 0
        if words < 0:
            raise opts.error("table_definition_words", "must be 0 (off) or more", "write e.g. table_definition_words: 6")
        self.words = int(words)

    def defines(self, prose: "Prose", start: int, end: int) -> bool:
        if not self.words:
            return False
        block = prose.block_at(start)
        if block is None or block.kind != "table_cell" or block.row < 0:
            return False
        if any(c.islower() for c in prose.text[block.start:start]):
            return False  # the term opens the cell, or follows only a code in capitals ("HTTP/HTTPS packet capture")
        if len(prose.text[block.start:block.end].split()) > len(prose.text[start:end].split()) + self.EXTRA_WORDS:
            return False
        row = prose.row_cells(block.row)
        if row[0] != block:
            return False  # the term names the row only from its first cell
        return any(len(prose.text[b.start:b.end].split()) >= self.words for b in row[1:])


# `gloss_around` reads this much text either side of a term, the term written as TERM_MARK.
AROUND = 80
TERM_MARK = "@@"


class GlossAround:
    """Option `gloss_around` (acronym and jargon checks): regular expressions tried on the text around
    a term, the term itself written as @@ ("you use an @@ to receive messages", "A @@ uses the server
    name instead of …": what it is or does, said around it). '^' in a pattern is the document's start:
    a window cut mid-text begins with a character no pattern expects. Off without the option."""

    def __init__(self, opts: OptionReader) -> None:
        patterns = compile_options(opts, "gloss_around", ignore_case=True)
        self._any = PatternSet(patterns) if patterns else None

    def explains(self, text: str, start: int, end: int) -> bool:
        if self._any is None:
            return False
        lo = max(0, start - AROUND)
        return self._any.search_any(("\0" if lo else "") + text[lo:start] + TERM_MARK + text[end:end + AROUND])
