"""One finding per phrase: jargon findings nested inside another are folded into it.

'flush the DNS cache' and 'DNS cache' are one problem for the reader, and rewording the phrase
rewords both: reporting both gives two cards for one phrase and takes the score down twice. The
widest finding of a folding category keeps the words; findings of that category lying wholly
inside it are dropped. Only jargon folds by default: an acronym inside a jargon phrase ('DNS' in
'DNS cache') keeps its own finding, because its advice differs (spell it out on first use, which
the rest of the text still needs) — folding it cost the dev set's acronym recall 0.976 → 0.683,
since independent writers count both. Tone, next steps and follow-up are never folded.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from .models import Finding

FOLDING = frozenset({"jargon"})


def fold_nested(findings: Sequence[Finding], categories: Iterable[str] = FOLDING) -> list[Finding]:
    """The findings, less those of `categories` lying wholly inside a wider finding of `categories`.
    Order is kept. Linear after sorting: one sweep over findings ordered by start, widest first."""
    folding = frozenset(categories)
    spans = sorted(((f.location.start, -f.location.end, i) for i, f in enumerate(findings)
                    if f.category in folding and f.location.end > f.location.start))
    dropped: set[int] = set()
    reach = -1  # the end of the widest folding finding seen so far
    for start, negative_end, i in spans:
        end = -negative_end
        if end <= reach:
            dropped.add(i)  # inside an earlier, wider (or equal and earlier-listed) finding
        else:
            reach = end
    return [f for i, f in enumerate(findings) if i not in dropped]
