"""Forms a Chinese name is searched by: simplified, pinyin, initials, spaced Han characters."""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# The Han characters as the inside of a regular expression's [...]: CJK extension A, the unified
# ideographs and the compatibility ideographs, the ones the documents and pinyin tables use.
HAN = "".join(f"{chr(low)}-{chr(high)}" for low, high in _HAN_RANGES)
HAN_RUN = re.compile(f"[{HAN}]+")
_HAN = re.compile(f"([{HAN}])")
_PINYIN_RESIDUE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


@cache
def _converter():
    # OpenCC's tables are deferred: importing them costs more than the rest of start-up.
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`text` in simplified characters, without the pinyin residues a conversion left behind."""
    text = _PINYIN_RESIDUE.sub("", text)
    # ASCII is its own simplified form: a Latin query needs no OpenCC (its tables take 9 ms to load).
    return text if text.isascii() else _converter().convert(text)


_SHORT = 200        # characters: a query, or a name, is folded without the table


def fold(text: str) -> str:
    """Lower case, tone marks and other diacritics removed, width normalised."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    if len(decomposed) <= _SHORT:
        # The table costs a pass over every character there is (a tenth of a second), which a
        # command that searches once would pay for a query of a few characters.
        return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return decomposed.translate(_combining()).lower()


def spaced(text: str) -> str:
    """A space around every Han character, so each is one FTS5 token (design §7)."""
    return text.translate(_spacing())


# Translation tables, made once: str.translate does in C what a regular expression or a loop over
# characters does in Python, which indexing millions of rows notices.
@cache
def _combining() -> dict[int, None]:
    # Every combining mark Unicode has lies in its first two planes: reading only those makes the
    # table in a tenth of the time, which the first search after another program's change waits for.
    return dict.fromkeys(code for code in range(0x20000) if unicodedata.combining(chr(code)))


@cache
def _spacing() -> dict[int, str]:
    return {code: f" {chr(code)} " for low, high in _HAN_RANGES for code in range(low, high + 1)}


_SPACED_HAN = re.compile(f" {_HAN.pattern} ")


def unspaced(text: str) -> str:
    """`spaced` undone: each Han character and the two spaces it was given become the character."""
    return _SPACED_HAN.sub(r"\1", text)


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


def pinyin_words(name: str) -> tuple[str, ...]:
    """The joined pinyin of each word of the Han characters in `name`, as pypinyin cuts it (劳务输出: laowu, shuchu)."""
    han = "".join(_HAN.findall(name))
    return tuple("".join(_word_pinyin(word)[0]) for word in _pinyin().seg(han)) if han else ()


@cache
def _pinyin():
    from pypinyin.core import Pinyin

    return Pinyin()


@lru_cache(maxsize=1 << 16)
def _word_pinyin(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from pypinyin import Style

    return (tuple(_pinyin().lazy_pinyin(word, errors="ignore")),
            tuple(_pinyin().lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")))
