"""Totals as every view says them: the sum, whether it is a plan, its period, and what may overlap it.

"3,600 万元 (2018) · planned 1 亿元 (2018–2020)"; "2,470 万元 (2016–2018), and 80 万元 that may
be part of it". The sums come from the data layer (tui/data/rollup.py); this module only words them.
Where room is short (the tree, tables, the pane's headlines) money is in the reader's form alone
(`2,470 万元` in Chinese, `¥24.7 M` in English); elsewhere in both.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from tui.text.format import quantity, years
from tui.text.i18n import tr


class TotalLike(Protocol):
    unit: str
    basis: str
    value: float
    approximate: bool
    year_from: int | None
    year_to: int | None
    figures: int
    beside: float


def amount(value: float, unit: str, lang: str, short: bool = False) -> str:
    """A sum's value in its unit: `short`, money in the reader's form alone, else in both."""
    return quantity(value, unit, lang=lang, brief=short)


def total_text(total: TotalLike, lang: str, short: bool = False) -> str:
    """One sum: `≈2,470 万元 (2016–2018), and 80 万元 that may be part of it`, planned ones marked."""
    text = ("≈" if total.approximate else "") + amount(total.value, total.unit, lang, short) if total.figures else ""
    if total.basis == "planned":
        text = f"{tr('planned')} {text}" if text else ""
    if text and total.year_from is not None:
        text += f" ({years(total.year_from, total.year_to)})"
    if total.beside:
        beside = amount(total.beside, total.unit, lang, short)
        text = tr("{total}, and {beside} that may be part of it", total=text, beside=beside) if text else \
            tr("{beside} that may be part of a total", beside=beside)
    return text


def totals_line(totals: Iterable[TotalLike], lang: str, short: bool = False) -> str:
    """Several sums of one measure (actual, then planned) on a line, or "" when there are none."""
    ordered = sorted(totals, key=lambda total: total.basis != "actual")
    return " · ".join(text for total in ordered if (text := total_text(total, lang, short)))


def headline(totals: Iterable[TotalLike], lang: str) -> str:
    """The first of several sums alone (actual before planned), without its period or what may
    overlap it, money in the reader's form: what a narrow line has room for. Where nothing is
    summed, only figures that may be part of a total, their sum in brackets, as accounts show
    what is not counted: "(¥800 K)". "" when there are none."""
    ordered = sorted(totals, key=lambda total: (not total.figures, total.basis != "actual"))
    if not ordered:
        return ""
    total = ordered[0]
    if not total.figures:
        return f"({amount(total.beside, total.unit, lang, short=True)})" if total.beside else ""
    text = ("≈" if total.approximate else "") + amount(total.value, total.unit, lang, short=True)
    return f"{tr('planned')} {text}" if total.basis == "planned" else text
