"""Numbers as Chinese documents write them: 1050万元, 2.6亿, 16.8%, 近千亩, 两场, 1—2亿."""
from __future__ import annotations

import math
import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_NUMBER = re.compile(
    r"(?:(?P<low>\d+(?:\.\d+)?)\s*[—–\-~～至到]\s*)?"  # a range "1—2亿": the low end takes the scale
    r"(?P<arabic>\d+(?:,\d{3})*(?:\.\d+)?)\s*[余多]?\s*(?P<scale>(?:[万萬亿億]|千(?![米克瓦]))*)"  # 千米 is a kilometre, not a thousand
    r"|(?P<hanzi>[零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億]+)"
)


def _hanzi_value(text: str) -> float | None:
    """Value of a Chinese numeral such as 三十五, 两千, 十二万, 千 (as in 近千亩)."""
    total, section, digit = 0, 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[char]
            digit = None
        elif char in _LARGE_UNITS:
            section += digit or 0
            total = (total + (section or 1)) * _LARGE_UNITS[char]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def first_number(wording: str) -> float | None:
    """The first number in `wording` in base units (万 and 亿 multiplied out), or None."""
    match = _NUMBER.search(wording)
    if match is None:
        return None
    if match["arabic"]:
        value = float((match["low"] or match["arabic"]).replace(",", ""))
        for char in match["scale"]:
            value *= _LARGE_UNITS.get(char) or _SMALL_UNITS[char]
        return value
    return _hanzi_value(match["hanzi"])


def first_number_span(wording: str) -> tuple[int, int] | None:
    """Where the number `first_number` reads stands in `wording`: (start, end), or None."""
    match = _NUMBER.search(wording)
    return None if match is None else match.span()


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def is_number(value: object) -> bool:
    """A finite int or float: what `figure.value` must hold. A file built before the schema said so
    may hold text, bytes or infinity there, which every reader shows as not a number."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
