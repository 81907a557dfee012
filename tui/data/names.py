"""Forms a Chinese name is searched by: simplified, pinyin, initials, spaced Han characters."""
from __future__ import annotations

import os
import re
import unicodedata
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Iterator, Mapping, NamedTuple

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# The Han characters as the inside of a regular expression's [...]: CJK extension A, the unified
# ideographs and the compatibility ideographs, the ones the documents and pinyin tables use.
HAN = "".join(f"{chr(low)}-{chr(high)}" for low, high in _HAN_RANGES)


class LazyPattern:
    """A regular expression compiled at its first use. A class of every Han character costs
    Python's compiler 2–3 ms (it marks each of 28,000 characters), and a start that reads the tree
    matches none of them."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __getattr__(self, name: str):
        method = getattr(re.compile(self.pattern), name)
        setattr(self, name, method)     # found here from then on, without this detour
        return method


HAN_RUN = LazyPattern(f"[{HAN}]+")
_HAN = LazyPattern(f"([{HAN}])")
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


def fold(text: str) -> str:
    """Lower case, tone marks and other diacritics removed, width normalised."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_WITHOUT_COMBINING).lower()


def spaced(text: str) -> str:
    """A space around every Han character, so each is one FTS5 token (design §7)."""
    return text.translate(_spacing())


# Translation tables, made once: str.translate does in C what a regular expression or a loop over
# characters does in Python, which indexing millions of rows notices.
class _WithoutCombining(dict):
    """str.translate's table that drops combining marks, filled in as characters are met: made for
    every character there is, it took a twentieth of a second, which a search or a catch-up of a
    few rows would pay for its first long text."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_COMBINING = _WithoutCombining()


@cache
def _spacing() -> dict[int, str]:
    return {code: f" {chr(code)} " for low, high in _HAN_RANGES for code in range(low, high + 1)}


_SPACED_HAN = LazyPattern(f" {_HAN.pattern} ")


def unspaced(text: str) -> str:
    """`spaced` undone: each Han character and the two spaces it was given become the character."""
    return _SPACED_HAN.sub(r"\1", text)


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def han_characters(text: str) -> str:
    """The Han characters of `text`, the ones pinyin is read from."""
    return "".join(_HAN.findall(text))


class Reading(NamedTuple):
    """The pinyin of a text's Han characters: each word's syllables, as pypinyin cuts the text into
    words (黄石市: huang shi | shi), and the initials of them all."""
    words: tuple[tuple[str, ...], ...]
    initials: str

    def forms(self) -> tuple[str, str, str]:
        """(syllables spaced, syllables joined, initials)."""
        syllables = [syllable for word in self.words for syllable in word]
        return " ".join(syllables), "".join(syllables), self.initials

    def joined_words(self) -> tuple[str, ...]:
        return tuple("".join(word) for word in self.words)


# Readings of texts known without pypinyin (read from the file's copy of its dictionary by
# `tui.data.index`), for as long as `readings_known` holds them: loading pypinyin costs a catch-up of a few rows
# more than all the rest of it.
_KNOWN: dict[str, Reading] = {}


@contextmanager
def readings_known(readings: dict[str, Reading]) -> Iterator[None]:
    _KNOWN.update(readings)
    try:
        yield
    finally:
        _KNOWN.clear()


def reading(text: str) -> Reading:
    """The reading of the Han characters in `text`."""
    known = _KNOWN.get(text)
    return known if known is not None else _read(text)


@lru_cache(maxsize=1 << 16)
def _read(text: str) -> Reading:
    # pypinyin reads a text word by word (重庆 is chong qing, 硬化工程 is cut as 硬|化工|程), and a
    # word reads the same wherever it stands: memoising per word gives exactly its reading at a
    # fraction of the cost, which indexing a million names needs.
    han = han_characters(text)
    if not han:
        return Reading((), "")
    words = [_word_pinyin(word) for word in _pinyin().seg(han)]
    return Reading(tuple(syllables for syllables, _ in words), "".join(i for _, initials in words for i in initials))


class Entry(NamedTuple):
    """A string of Han characters in pypinyin's dictionary, as the file keeps it (search_dictionary)."""
    starts: bool                # a word of the dictionary starts with it: the cut reads on
    word: bool                  # a word of the dictionary: the cut may end here
    syllables: str | None       # its reading alone, syllables spaced (None: a start only)
    initials: str | None


def reading_from(text: str, dictionary: Mapping[str, Entry]) -> Reading:
    """The reading of `text` from the entries of its Han characters' substrings, exactly as
    pypinyin reads it (`_read`): its cut, longest word first, then each word as the dictionary
    reads it alone."""
    words = []
    for word in _cut(han_characters(text), dictionary):
        entry = dictionary.get(word)
        if entry is None or entry.syllables is None:     # a character pypinyin has no reading of
            words.append(((), ""))
        else:
            words.append((tuple(entry.syllables.split()), entry.initials))
    return Reading(tuple(syllables for syllables, _ in words), "".join(initials for _, initials in words))


def _cut(han: str, dictionary: Mapping[str, Entry]) -> list[str]:
    """pypinyin's cut of `han` (pypinyin.seg.mmseg, strict: a word of the dictionary or a character)."""
    words: list[str] = []
    while han:
        longest = 0
        for end in range(1, len(han) + 1):
            entry = dictionary.get(han[:end])
            if entry is None or not entry.starts:
                words.append(han[:longest] if longest else han[0])
                han = han[longest or 1:]
                break
            if entry.word:
                longest = end
        else:                           # the whole rest starts a word: its longest word, else its characters
            if not longest:
                words.extend(han)
                break
            words.append(han[:longest])
            han = han[longest:]
    return words


def dictionary_entries() -> Iterator[tuple[str, bool, bool, str | None, str | None]]:
    """(text, starts, word, syllables, initials) of pypinyin's dictionary: every character and word
    it reads, with the reading it gives each alone, and every start of a word. Loads pypinyin."""
    _pinyin()
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, Style
    from pypinyin.style import convert

    @cache
    def styled(syllable: str) -> tuple[str, str]:     # some 1,500 syllables with their tones
        return convert(syllable, Style.NORMAL, True), convert(syllable, Style.FIRST_LETTER, True)

    def read(syllables: list[str]) -> tuple[str, str]:
        forms = [styled(syllable) for syllable in syllables]
        return " ".join(normal for normal, _ in forms), "".join(initial for _, initial in forms)

    starts = {word[:end] for word in PHRASES_DICT for end in range(1, len(word) + 1)}
    # As pypinyin reads each alone: a word of the dictionary by its first reading of each
    # character, else a character by its own first reading.
    readings = {chr(code): [alternatives.split(",")[0]] for code, alternatives in PINYIN_DICT.items()}
    readings |= {word: [alternatives[0] for alternatives in by_character] for word, by_character in PHRASES_DICT.items()}
    for text, syllables in readings.items():
        yield (text, text in starts, text in PHRASES_DICT, *read(syllables))
    for start in starts - readings.keys():
        yield (start, True, False, None, None)


def pinyin_forms(name: str) -> tuple[str, str, str]:
    """(syllables spaced, syllables joined, initials) of the Han characters in `name`."""
    return reading(name).forms()


def pinyin_words(name: str) -> tuple[str, ...]:
    """The joined pinyin of each word of the Han characters in `name`, as pypinyin cuts it (黄石市: huangshi, shi)."""
    return reading(name).joined_words()


@cache
def _pinyin():
    # pypinyin copies its tables at import unless told not to, for callers that add words of their
    # own; Duikou adds none, and the copy was a third of the first reading's 0.3 s.
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin.core import Pinyin

    return Pinyin()


@lru_cache(maxsize=1 << 16)
def _word_pinyin(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from pypinyin import Style

    return (tuple(_pinyin().lazy_pinyin(word, errors="ignore")),
            tuple(_pinyin().lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")))
