"""How common a word is in general English (wordfreq's Zipf scale: 7 'the', 4 'printer', 2 'gpupdate'),
for the checks that tell an ordinary word written in capitals ('TODAY', 'UNION') from an acronym."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))
