"""Forms a Chinese name is searched by: simplified, pinyin, initials, spaced Han characters."""
from __future__ import annotations

import re
import unicodedata
from functools import cache

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


_SPACED_HAN = re.compile(f" {_HAN.pattern} ")


def unspaced(text: str) -> str:
    """`spaced` undone: each Han character and the two spaces it was given become the character."""
    return _SPACED_HAN.sub(r"\1", text)


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def pinyin_forms(name: str) -> tuple[str, str, str]:
    """(syllables spaced, syllables joined, initials) of the Han characters in `name`."""
    from pypinyin import Style, lazy_pinyin

    han = "".join(_HAN.findall(name))
    if not han:
        return "", "", ""
    syllables = lazy_pinyin(han, errors="ignore")
    initials = lazy_pinyin(han, style=Style.FIRST_LETTER, errors="ignore")
    return " ".join(syllables), "".join(syllables), "".join(initials)
