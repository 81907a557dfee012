"""What several formats share: the export itself, exact values, a quote with its document, and
the items grouped pairing by pairing."""
from __future__ import annotations

from datetime import datetime, timezone
from itertools import groupby
from typing import Iterable, Iterator

from tui.data.atlas import Quote
from tui.data.items import Item, Pairing


class Export:
    """What to write and where from: the items, the title of their node, and the sectors' DAC codes."""

    def __init__(self, items: Iterable[Item], title: str, dac5: dict[str, int]) -> None:
        self.items = items
        self.title = title
        self.dac5 = dac5


def exact(value: float | None) -> int | float | None:
    """10500000.0 → 10500000: whole numbers without a decimal point, others as they are."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def quote_record(quote: Quote) -> dict:
    return {"quote": quote.text, **quote.document._asdict()}


def by_pairing(export: Export) -> Iterator[tuple[Pairing | None, list[Item], Iterator[Item]]]:
    """The items pairing by pairing: the pairing, its own figures (they come first), its projects."""
    for _, group in groupby(export.items, key=lambda item: item.pairing.id if item.pairing else None):
        first = next(group)
        figures: list[Item] = []
        pending: Item | None = first
        while pending is not None and pending.project is None:
            figures.append(pending)
            pending = next(group, None)
        projects = group if pending is None else _prepend(pending, group)
        yield first.pairing, figures, projects


def _prepend(first: Item, rest: Iterator[Item]) -> Iterator[Item]:
    yield first
    yield from rest


def about(export: Export) -> dict:
    return {"node": export.title, "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "units": "money in yuan (CNY); percentages as numbers (16.8 for 16.8%); "
                     "`wording` is the figure as the document writes it"}
