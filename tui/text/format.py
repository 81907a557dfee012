"""How numbers, units and untrusted text are displayed. Pure functions: no Textual, no database.

Money follows Chinese convention with an English gloss (design §5): `1,050 万元 (¥10.5 M)`; where
room is short, one form, the reader's: `1,050 万元` in Chinese, `¥10.5 M` in English.
"""
from __future__ import annotations

import json
import math
import re
from typing import Mapping

# Control characters would move the cursor, recolour the terminal or hide text, so they are
# shown as the Unicode "control pictures" (␛ for ESC). C1 controls, the zero-width and direction
# marks, and the line separators have no pictures: they become U+FFFD, visible and harmless, so a
# name can neither hide a letter nor read backwards as something else. (U+200C/D stay: emoji and
# several scripts are spelt with them.)
_C0_AND_DEL = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_HIDDEN = [*range(0x80, 0xA0),                 # C1 controls (U+009B is a CSI)
           0x200B, 0x200E, 0x200F, 0x061C,     # zero-width space; left-to-right, right-to-left, Arabic marks
           *range(0x202A, 0x202F),             # embeddings and overrides (U+202E flips the line)
           *range(0x2066, 0x206A),             # isolates
           0x2028, 0x2029, 0xFEFF]             # line and paragraph separators; zero-width no-break space
_NO_PICTURE = {code: "\ufffd" for code in _HIDDEN}
_INVISIBLE = _C0_AND_DEL | _NO_PICTURE
_INVISIBLE_KEEPING_LINES = {code: picture for code, picture in _INVISIBLE.items() if code != 0x0A}

# JSON escapes C0 controls itself; these it would print raw, and a terminal may act on them. As \u
# escapes they keep the data exact and the terminal inert.
_JSON_UNSAFE = {code: f"\\u{code:04x}" for code in [0x7F, *_HIDDEN]}
_JSON_UNSAFE_FOUND = re.compile("[" + "".join(map(chr, _JSON_UNSAFE)) + "]")

UNITS: dict[str, tuple[str, str]] = {   # unit code → (Chinese, English)
    "person": ("人", "people"),
    "person_time": ("人次", "person-times"),
    "household": ("户", "households"),
    "village": ("个村", "villages"),
    "township": ("个乡镇", "townships"),
    "enterprise": ("家企业", "enterprises"),
    "project": ("个项目", "projects"),
    "item": ("件", "items"),
    "mu": ("亩", "mu"),
    "m2": ("平方米", "m²"),
    "km": ("公里", "km"),
    "head": ("头(只)", "head"),
    "plant": ("株", "plants"),
    "ton": ("吨", "tonnes"),
    "times": ("次", "times"),
    "year": ("年", "years"),
}
# The English word for one of a unit, where it differs from UNITS' plural: "1 person", "1 project".
_ONE_EN = {"person": "person", "person_time": "person-time", "household": "household", "village": "village",
           "township": "township", "enterprise": "enterprise", "project": "project", "item": "item",
           "plant": "plant", "ton": "tonne", "times": "time", "year": "year"}
_QUALIFIER_SIGNS = {"approx": "≈ ", "range": "≥ "}
_PLANNED = {"zh": "(计划)", "en": "(planned)"}


def visible(text: object, *, keep_lines: bool = False) -> str:
    """`text` with every control character made visible; newlines kept only when asked."""
    if text is None:
        return ""
    return str(text).translate(_INVISIBLE_KEEPING_LINES if keep_lines else _INVISIBLE)


def terminal_safe_json(value: object, *, indent: int | None = None) -> str:
    """`value` as JSON that a terminal can print without acting on it; translating only the rare
    text that needs it, as an export of a million rows notices."""
    try:
        text = json.dumps(value, ensure_ascii=False, indent=indent, default=str, allow_nan=False)
    except ValueError:   # infinity or NaN, which JSON cannot hold: null, as standard JSON readers expect
        text = json.dumps(_finite(value), ensure_ascii=False, indent=indent, default=str)
    return text.translate(_JSON_UNSAFE) if _JSON_UNSAFE_FOUND.search(text) else text


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def number(value: float) -> str:
    """1050 → `1,050`; 195.5 → `195.5`; at most two decimals, none when they are zeros."""
    if not _is_number(value):
        return _not_a_number(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money_short(yuan: float) -> str:
    """The Chinese form alone: `1,050 万元`, `2.6 亿元`, `800 元`."""
    if not _is_number(yuan):
        return f"{_not_a_number(yuan)} 元"
    if yuan >= 1e8:
        return f"{number(yuan / 1e8)} 亿元"
    if yuan >= 1e4:
        return f"{number(yuan / 1e4)} 万元"
    return f"{number(yuan)} 元"


def money(yuan: float) -> str:
    """`1,050 万元 (¥10.5 M)`: the Chinese form, then an English gloss to three figures."""
    if not _is_number(yuan):
        return money_short(yuan)
    for size, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " K")):
        if yuan >= size:
            return f"{money_short(yuan)} (¥{_three_figures(yuan / size)}{suffix})"
    return f"{money_short(yuan)} (¥{number(yuan)})"


def money_brief(yuan: float, lang: str) -> str:
    """Money in one form, the reader's: `2,550 万元` in Chinese, `¥25.5 M` in English."""
    if lang == "zh" or not _is_number(yuan):
        return money_short(yuan)
    for size, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " K")):
        if abs(yuan) >= size:
            return f"¥{_three_figures(yuan / size)}{suffix}"
    return f"¥{number(yuan)}"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _not_a_number(value: object) -> str:
    """A value no number can stand for (text or bytes in a file older than the schema's CHECK, or
    infinity), shown as what it is rather than failing the whole view."""
    return f"{visible(value)[:40]} (not a number)"


def _three_figures(value: float) -> str:
    decimals = 0 if value >= 100 else 1 if value >= 10 else 2
    return number(round(value, decimals))


def percent(value: float) -> str:
    return f"{number(value)}%"


def quantity(value: float, unit: str, qualifier: str | None = None, lang: str = "zh", *, brief: bool = False) -> str:
    """A figure's value in its unit, marked ≈ (approx), ≥ (range: the low end) or (planned); money
    in both forms, or `brief`ly in the reader's alone."""
    if unit == "CNY":
        text = money_brief(value, lang) if brief else money(value)
    elif unit == "percent":
        text = percent(value)
    else:
        text = f"{number(value)} {unit_word(unit, lang, value)}"
    text = _QUALIFIER_SIGNS.get(qualifier or "", "") + text
    return f"{text} {_PLANNED[lang]}" if qualifier == "planned" else text


def unit_word(unit: str, lang: str, value: float = 2) -> str:
    """How a count's unit reads after its number: 人 / people, and in English one person, one project."""
    zh, en = UNITS.get(unit) or (visible(unit),) * 2
    if lang == "zh":
        return zh
    return _ONE_EN.get(unit, en) if value == 1 else en


def years(start: int | None, end: int | None = None) -> str:
    """`2016–2018`, `2016–` (still running), `2018`, or `—` when unknown."""
    if start is None:
        return f"–{end}" if end is not None else "—"
    if end is None or end == start:
        return str(start)
    return f"{start}–{end}"


# How the bundled data and `duikou draft` mark a document that has no title of its own: the
# curator's description of it follows the mark.
UNTITLED_MARK = "（无标题）"


def document_title(title: object, lang: str = "en") -> str:
    """A document's title in 《》, or for one without a title "untitled" and what it is about:
    never 《（无标题）…》, a title no document has."""
    text = str(title or "")
    if text and not text.startswith(UNTITLED_MARK):
        return f"《{text}》"
    untitled = "无标题" if lang == "zh" else "untitled"
    about = text[len(UNTITLED_MARK):].strip()
    return f"{untitled}: {about}" if about else untitled


def source_line(document: Mapping[str, object], lang: str = "en") -> str:
    """A document as every citation names it: its title (or "untitled"), publisher, author, date, key
    (those it has), from a mapping of those fields; the text is as stored, for the caller to make safe."""
    parts = [document_title(document["title"], lang),
             *(document[name] for name in ("publisher", "author", "published", "key"))]
    return ", ".join(str(part) for part in parts if part)


def highlight_span(quote: str, wording: str | None) -> tuple[int, int] | None:
    """Where the figure's wording stands in its quote: the longest leading part of the wording
    found there, so `1050万元` still marks `1050万` in a quote that drops the 元."""
    if not wording:
        return None
    for length in range(len(wording), 1, -1):
        start = quote.find(wording[:length])
        if start >= 0:
            return start, start + length
    return None
