"""The answer line search prints first: `九龙县 · Lifted out of poverty · 2017: 1,427 people (2017)`,
and the quotes its total rests on. The answer itself comes from the data layer (tui/data/answer.py);
this module only words it, its totals as every view words them (tui.text.totals)."""
from __future__ import annotations

from typing import Iterable, Protocol

from tui.text.format import source_line
from tui.text.i18n import tr
from tui.text.totals import TotalLike, totals_line


class NameLike(Protocol):
    zh: str
    en: str


class DocumentLike(Protocol):
    key: str
    title: str
    publisher: str | None
    author: str | None
    published: str | None


class QuoteLike(Protocol):
    text: str
    document: DocumentLike


class FigureLike(Protocol):
    quotes: tuple[QuoteLike, ...]


class AnswerLike(Protocol):
    scope: str
    measure_name: NameLike
    sector_name: NameLike | None
    year: int | None
    totals: tuple[TotalLike, ...]
    figures: tuple[FigureLike, ...]
    more_figures: int


def _name(name: NameLike, lang: str) -> str:
    return name.zh if lang == "zh" else name.en[:1].upper() + name.en[1:]


def answer_line(answer: AnswerLike, lang: str) -> str:
    """What the total is of, and the total: "" when there is none to say. Text from the database,
    as stored: the caller makes it safe to show (tui.text.format.visible)."""
    total = totals_line(answer.totals, lang)
    if not total:
        return ""
    what = [answer.scope, *([_name(answer.sector_name, lang)] if answer.sector_name else []),
            _name(answer.measure_name, lang), *([str(answer.year)] if answer.year is not None else [])]
    return f"{' · '.join(what)}: {total}"


def answer_quotes(answer: AnswerLike) -> list[tuple[str, str]]:
    """(quote, source) of each quote of the figures the total adds, each once, as stored."""
    seen: dict[str, str] = {}
    for quote in _quotes(answer.figures):
        seen.setdefault(quote.text, source_line(quote.document._asdict()))
    return list(seen.items())


def more_figures_line(answer: AnswerLike) -> str:
    """How many figures the total adds beyond those quoted, or ""."""
    return tr("and {count} more figures", count=answer.more_figures) if answer.more_figures > 0 else ""


def _quotes(figures: Iterable[FigureLike]) -> Iterable[QuoteLike]:
    for figure in figures:
        yield from figure.quotes
