"""A static word-piece table distilled from a small sentence encoder (`commlint/learned/words/`,
built by `python -m training.encoder`; see its model card): a sentence's vector is the mean of its
pieces' rows, so wordings never seen in training land near the ones that were.

Loaded once per process with numpy alone (a float16 array and a list of pieces); a word is split
into pieces as the encoder's own tokenizer splits it (lower case, accents stripped, punctuation
apart, then the longest known piece first), cached per word.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Iterable

import numpy as np

DIMENSIONS = 64  # the PCA width (128 measured no better in round 2, session 9); changing it means `make train`
_MAX_WORD = 100


class WordVectors:
    def __init__(self, folder: Path) -> None:
        self.vectors = np.load(folder / "vectors.npy", allow_pickle=False).astype(np.float32)
        pieces = (folder / "pieces.txt").read_text(encoding="utf-8").split("\n")[:-1]
        if self.vectors.shape != (len(pieces), DIMENSIONS):
            raise ValueError(f"vectors.npy is {self.vectors.shape}, pieces.txt has {len(pieces)} pieces "
                             f"and the code expects {DIMENSIONS} dimensions")
        self.index = {p: i for i, p in enumerate(pieces)}
        self.unknown = self.index["[UNK]"]
        self.ids = functools.lru_cache(maxsize=1 << 16)(self._ids)

    def _ids(self, word: str) -> tuple[int, ...]:
        """The rows of one word (a token's text), split as the encoder's tokenizer splits it."""
        text = unicodedata.normalize("NFD", word.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        out: list[int] = []
        chunk = ""
        for c in text + " ":
            if c.isspace() or _is_punct(c):
                if chunk:
                    out.extend(self._pieces(chunk))
                    chunk = ""
                if not c.isspace():
                    out.append(self.index.get(c, self.unknown))
            else:
                chunk += c
        return tuple(out)

    def _pieces(self, word: str) -> list[int]:
        if len(word) > _MAX_WORD:
            return [self.unknown]
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.index:
                    out.append(self.index[piece])
                    break
                end -= 1
            else:
                return [self.unknown]
            start = end
        return out

    def mean(self, words: Iterable[str]) -> "np.ndarray | None":
        """The mean row of the words' pieces, or None when there is none."""
        rows = [i for w in words for i in self.ids(w)]
        if not rows:
            return None
        return self.vectors[rows].mean(axis=0)


def _is_punct(c: str) -> bool:
    o = ord(c)
    if 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126:
        return True
    return unicodedata.category(c).startswith("P")


_loaded: dict[str, WordVectors] = {}


def word_vectors(folder: str | None = None) -> WordVectors:
    from . import model_dir

    key = folder or str(model_dir("words"))
    if key not in _loaded:
        _loaded[key] = WordVectors(Path(key))
    return _loaded[key]
