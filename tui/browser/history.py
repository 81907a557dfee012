"""Where a person has been in the tree, to go back and forward as in a web browser."""
from __future__ import annotations

from typing import NamedTuple

from tui.data.sums import Scope


class Visit(NamedTuple):
    order: str                  # the tree's order then
    scope: Scope | None         # the node visited; None: the root


class History:
    """The visits in order, and which one is current; a visit after going back drops those ahead."""

    def __init__(self) -> None:
        self.visits: list[Visit] = []
        self.current = -1

    def visit(self, visit: Visit) -> None:
        if self.current >= 0 and self.visits[self.current].scope == visit.scope:
            return              # the same node again (opened, then closed): one visit
        del self.visits[self.current + 1:]
        self.visits.append(visit)
        self.current = len(self.visits) - 1

    def back(self) -> Visit | None:
        if self.current <= 0:
            return None
        self.current -= 1
        return self.visits[self.current]

    def forward(self) -> Visit | None:
        if self.current + 1 >= len(self.visits):
            return None
        self.current += 1
        return self.visits[self.current]
