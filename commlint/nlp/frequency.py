"""How common a word is in general English (wordfreq's Zipf scale: 7 'the', 4 'printer', 2 'gpupdate'),
for the checks that tell an ordinary word written in capitals ('TODAY', 'UNION') from an acronym."""

from __future__ import annotations

from functools import lru_cache

# The acronym check's defaults (options `ordinary_word_zipf`, `long_word_zipf`): a word at least this
# common is ordinary English; a word of LONG_WORD letters or more, at least the lower figure ('MAILBOX').
ORDINARY_ZIPF, LONG_WORD_ZIPF, LONG_WORD = 4.0, 3.0, 6


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def is_ordinary_word(word: str, ordinary: float = ORDINARY_ZIPF, long_word: float = LONG_WORD_ZIPF) -> bool:
    """A word of letters common enough in general English to be read as that word, in any case:
    'STAFF', 'CHECKLIST'; not 'SCEP', 'VPN', 'M365'."""
    if not word.isalpha():
        return False
    frequency = zipf(word.lower())
    return frequency >= ordinary or (len(word) >= LONG_WORD and frequency >= long_word)
