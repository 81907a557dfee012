"""The command palette (ctrl+p) finds any entity by name, through the same engine as `/`, and
opens any source document."""
from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import Hit as CommandHit
from textual.command import Hits, Provider
from textual.markup import escape

from tui.browser.screens.search import KIND_HEADINGS, hit_line
from tui.browser.widgets.detail_pane import DetailPane
from tui.data.documents import documents
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


class DocumentCommands(Provider):
    """Every source document, by its title: choosing one opens it with what cites it."""

    async def search(self, query: str) -> Hits:

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
                                 document.key), text=text, help=escape(visible(source_line(vars(document), language()))))
