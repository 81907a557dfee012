"""Forms a Chinese name is searched by: simplified, pinyin, initials, spaced Han characters."""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_PINYIN_RESIDUE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


@cache
def _converter():
    # OpenCC's tables are deferred: importing them costs more than the rest of start-up.
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`text` in simplified characters, without the pinyin residues a conversion left behind."""
    return _converter().convert(_PINYIN_RESIDUE.sub("", text))


def fold(text: str) -> str:
    """Lower case, tone marks and other diacritics removed, width normalised."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def spaced(text: str) -> str:
    """A space around every Han character, so each is one FTS5 token (design §7)."""
    return _HAN.sub(r" \1 ", text)


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def pinyin_forms(name: str) -> tuple[str, str, str]:
    """(syllables spaced, syllables joined, initials) of the Han characters in `name`."""
    han = "".join(_HAN.findall(name))
    if not han:
        return "", "", ""
    # pypinyin reads a name word by word (重庆 is chong qing, 硬化工程 is cut as 硬|化工|程), and a
    # word reads the same wherever it stands: memoising per word gives exactly its reading at a
    # fraction of the cost, which indexing a million names needs.
    syllables: list[str] = []
    initials: list[str] = []
    for word in _pinyin().seg(han):
        word_syllables, word_initials = _word_pinyin(word)
        syllables += word_syllables
        initials += word_initials
    return " ".join(syllables), "".join(syllables), "".join(initials)


@cache
def _pinyin():
    from pypinyin.core import Pinyin

    return Pinyin()


@lru_cache(maxsize=1 << 16)
def _word_pinyin(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from pypinyin import Style

    return (tuple(_pinyin().lazy_pinyin(word, errors="ignore")),
            tuple(_pinyin().lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")))
