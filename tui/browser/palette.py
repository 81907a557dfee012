"""The command palette (ctrl+p): Duikou's own actions by name, any entity by name, through the
same engine as `/`, and any source document."""
from __future__ import annotations

import asyncio
from functools import partial
from typing import Iterator

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hits, Provider
from textual.command import Hit as CommandHit
from textual.markup import escape

from tui.browser.widgets.detail_pane import DetailPane
from tui.text.format import document_title, source_line, visible
from tui.text.i18n import language, tr

LIMIT = 20


class SearchCommands(Provider):
    """Every hit of the search engine is a command that jumps to it in the tree."""

    async def search(self, query: str) -> Hits:
        app = self.app
        atlas, jump = getattr(app, "atlas", None), getattr(app, "jump_to", None)
        if atlas is None or jump is None or not query.strip():
            return
        from tui.browser.screens.search import KIND_HEADINGS, hit_line  # the search side: loaded at the first search

        # The engine runs in a thread, under the shared connection's lock.
        hits = await asyncio.to_thread(atlas.search, query, LIMIT)
        for rank, hit in enumerate(hits):
            kind = tr(KIND_HEADINGS.get(hit.kind, hit.kind))
            yield CommandHit(
                score=max(0.5, 0.99 - rank * 0.01),
                match_display=Text.assemble((f"{kind}  ", "dim"), visible(hit.label)),
                command=partial(jump, hit),
                text=visible(hit.label),
                help=escape(hit_line(hit).plain),
            )


# The app's keys that are also commands, in the order the palette lists them when nothing is typed.
ACTIONS = ("search", "pivot", "sort_children", "copy_citation", "export", "reload", "history_back",
           "history_forward", "help")


class ActionCommands(Provider):
    """Duikou's actions, found by their name in either language; each says its key."""

    def _actions(self) -> Iterator[tuple[str, str, str, Binding]]:
        """(name shown, its English name, what it does, its binding) of each action the app allows now."""
        app = self.app
        bindings: dict[str, Binding] = {}
        for binding in Binding.make_bindings(type(app).BINDINGS):
            bindings.setdefault(binding.action, binding)    # an action's first key is its own
        for action in ACTIONS:
            binding = bindings.get(action)
            if binding is not None and app.check_action(action, ()):
                yield tr(binding.description), binding.description, tr(binding.tooltip or binding.description), binding

    def _help(self, does: str, binding: Binding) -> str:
        return escape(f"{does} ({tr('key')}: {self.app.get_key_display(binding)})")

    async def discover(self) -> Hits:
        for name, _, does, binding in self._actions():
            yield DiscoveryHit(name, partial(self.app.run_action, binding.action), text=name,
                               help=self._help(does, binding))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, english, does, binding in self._actions():
            score = max(matcher.match(name), matcher.match(english), matcher.match(does))
            if score > 0:
                yield CommandHit(score, matcher.highlight(name), partial(self.app.run_action, binding.action),
                                 text=name, help=self._help(does, binding))


class DocumentCommands(Provider):
    """Every source document, by its title: choosing one opens it with what cites it."""

    async def search(self, query: str) -> Hits:
        from tui.data.documents import documents

        atlas, panes = getattr(self.app, "atlas", None), self.screen.query(DetailPane)
        if atlas is None or not panes:
            return
        matcher = self.matcher(query)
        prefix = tr("Go to a document")
        for document in await asyncio.to_thread(atlas.ask, documents):
            title = visible(document_title(document.title, language()))
            text = f"{prefix}: {title} {visible(document.key)}"
            score = matcher.match(text)
            if score > 0:
                yield CommandHit(score, Text.assemble((f"{prefix}  ", "dim"), title), partial(panes.first().open_document,
                                 document.key), text=text, help=escape(visible(source_line(document._asdict(), language()))))
