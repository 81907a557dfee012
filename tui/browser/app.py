"""The browser: the atlas tree on the left, the detail of its cursor's node on the right."""
from __future__ import annotations

import gc
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Tree
from textual.worker import WorkerFailed

from tui.browser.bindings import translated_bindings
from tui.browser.messages import CatchingUp, CaughtUp, CountsLoaded, Exported, NodeFound, Reloaded
from tui.browser.palette import SearchCommands
from tui.browser.screens.help import HelpScreen
from tui.browser.screens.search import SearchScreen
from tui.browser.widgets.atlas_tree import AtlasTree, Entry
from tui.browser.widgets.breadcrumb import Breadcrumb
from tui.browser.widgets.detail_pane import DetailPane
from tui.browser.widgets.status_line import StatusLine
from tui.data import DuikouError
from tui.data.atlas import ORDERS, Node, Scope
from tui.data.connection import explain_failure
from tui.data.search import Hit
from tui.data.shared import SharedAtlas
from tui.export.files import filler, slug, write_new_file
from tui.text.format import visible
from tui.text.i18n import set_language, tr


class DuikouApp(App[None]):
    CSS_PATH = "duikou.tcss"
    TITLE = "Duikou 对口"
    COMMANDS = App.COMMANDS | {SearchCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("p", "pivot", "Pivot"),
        Binding("c", "copy_citation", "Copy citation"),
        Binding("e", "export", "Export"),
        Binding("r", "reload", "Reload"),
        Binding("escape,backspace", "back", "Back", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, atlas: SharedAtlas, lang: str | None = None, *, exports: bool = True) -> None:
        set_language(lang)
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.atlas = atlas
        self.exports = exports   # False: served to others with --no-export, so no key writes a file
        self.failure: str | None = None   # why the app had to stop, for `run` to say once the screen is gone

    def compose(self) -> ComposeResult:
        yield Breadcrumb(id="breadcrumb")
        with Horizontal(id="body"):
            yield AtlasTree(self.atlas, id="atlas-tree")
            yield DetailPane(self.atlas, id="detail")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.tree.focus()
        self._show_counts()
        self._catch_up()
        # What start-up built lives as long as the app: set it aside from the collector's full
        # passes, which would otherwise walk it all and hold up a keystroke for 100 ms or more.
        self.call_after_refresh(gc.freeze)

    @property
    def tree(self) -> AtlasTree:
        return self.query_one(AtlasTree)

    @work(thread=True, group="status")
    def _show_counts(self) -> None:
        self.post_message(CountsLoaded(self.atlas.counts()))

    @work(thread=True, group="catch-up")
    def _catch_up(self) -> None:
        """Bring search and sums up to date with other programs' changes, the tree already on screen."""
        if self.atlas.catch_up(lambda done, total: self.post_message(CatchingUp(done, total))):
            self.post_message(CaughtUp())

    @on(CatchingUp)
    def _catching_up(self, message: CatchingUp) -> None:
        self.query_one(StatusLine).progress(message.done, message.total)

    @on(CaughtUp)
    def _caught_up(self, message: CaughtUp) -> None:
        self._reloaded(Reloaded(self._cursor_scope()), quietly=True)

    @on(CountsLoaded)
    def _counted(self, message: CountsLoaded) -> None:
        self.query_one(StatusLine).show(message.counts, self.atlas.path, self.tree.order)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        self.query_one(Breadcrumb).show(self.tree.path_labels(event.node))
        self.query_one(DetailPane).show(event.node.data)

    def _cursor_scope(self) -> Scope | None:
        node = self.tree.cursor_node
        return node.data.scope if node is not None and isinstance(node.data, Node) else None

    # -- actions ---------------------------------------------------------------------------------

    def action_pivot(self) -> None:
        """Donor → recipient → sector order and round again, keeping the cursor's place."""
        orders = list(ORDERS)
        order = orders[(orders.index(self.tree.order) + 1) % len(orders)]
        self.tree.rebuild(order, reveal=self._cursor_scope())
        self._show_counts()

    def action_search(self) -> None:
        self.push_screen(SearchScreen(self.atlas), callback=self._searched)

    def _searched(self, hit: Hit | None) -> None:
        if hit is not None:
            self.jump_to(hit)

    def jump_to(self, hit: Hit) -> None:
        """Open the way to the tree node nearest `hit`, select it and show its detail."""
        self._find_hit(hit, self.tree.order)

    @work(thread=True, exclusive=True, group="jump")
    def _find_hit(self, hit: Hit, order: str) -> None:
        self.post_message(NodeFound(hit, self.atlas.nearest_node(hit, order)))

    @on(NodeFound)
    def _jump(self, message: NodeFound) -> None:
        if message.target is None:
            self.notify(tr("“{name}” has no place in the tree.", name=visible(message.hit.label)),
                        severity="warning", markup=False)
            return
        order, scope = message.target
        self.query_one(DetailPane).choose_figure(message.hit.ref if message.hit.kind == "figure" else None)
        self.tree.focus()
        if order == self.tree.order:
            self.tree.reveal(scope)
            return
        self.tree.rebuild(order, reveal=scope)
        self._show_counts()

    def action_back(self) -> None:
        self.tree.focus()
        self.tree.action_go_to_parent()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.exports if action == "export" else True

    def _handle_exception(self, error: Exception) -> None:
        """A database error in a worker is one line in the app, which keeps browsing what it has;
        anywhere else the app stops with that line and exit code 1. Anything else is a bug: Textual
        shows it as such. (Textual has no public hook for a worker's error.)"""
        cause = error.error if isinstance(error, WorkerFailed) else error
        if not isinstance(cause, (DuikouError, sqlite3.Error)):
            super()._handle_exception(error)
            return
        line = visible(cause if isinstance(cause, DuikouError) else explain_failure(self.atlas.path, cause))
        if isinstance(error, WorkerFailed) and self.is_running:
            self.notify(line, severity="error", markup=False, timeout=30)
        else:
            self.failure = line
            self.exit(return_code=1)

    def action_copy_citation(self) -> None:
        citation = self.query_one(DetailPane).citation
        if citation:
            self.copy_to_clipboard(citation)   # made visible by the detail pane: no control reaches the clipboard
            self.notify(citation.splitlines()[0], title=tr("Copied"), markup=False)
        else:
            self.notify(tr("Nothing to copy here."), severity="warning")

    def action_export(self) -> None:
        """Write the cursor's node, and everything under it, to a markdown report in the current folder."""
        node = self.tree.cursor_node
        while node is not None and node is not self.tree.root and not isinstance(node.data, Node):
            node = node.parent   # "loading…" and "show more" stand for their parent
        scope = node.data.scope if node is not None and isinstance(node.data, Node) else Scope()
        self._export(scope, self.tree.path_labels(node)[1:] if node is not None else [])

    @work(thread=True, group="export")
    def _export(self, scope: Scope, labels: list[str]) -> None:
        stem = f"duikou-{slug(labels)}-{datetime.now():%Y%m%d-%H%M%S}"
        title = "/".join(labels) or "all pairings"
        try:
            path = self.atlas.ask(lambda atlas: write_new_file(Path.cwd(), stem, "markdown",
                                                               filler(atlas, scope, title, "markdown")))
        except (DuikouError, sqlite3.Error) as error:   # a full disk, a damaged page: say so, keep browsing
            self.post_message(Exported(None, str(error)))
            return
        self.post_message(Exported(path))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        if message.error is not None:
            self.notify(visible(message.error), severity="error", markup=False)
        else:
            self.notify(tr("Exported to {path}", path=visible(message.path)), title=tr("Export"), markup=False)

    def action_reload(self) -> None:
        self._reload(self._cursor_scope())

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self, reveal: Scope | None) -> None:
        try:
            self.atlas.reopen()
        except DuikouError as error:
            self.post_message(Reloaded(reveal, str(error)))
            return
        self.post_message(Reloaded(reveal))

    @on(Reloaded)
    def _reloaded(self, message: Reloaded, quietly: bool = False) -> None:
        if message.error is not None:
            self.notify(visible(message.error), severity="error", markup=False)   # it names a path
            return
        self.tree.rebuild(self.tree.order, reveal=message.reveal)
        self._show_counts()
        detail = self.query_one(DetailPane)
        detail.show(detail.node)    # the root's table of pairings too, which no cursor move asks for again
        if not quietly:
            self.notify(tr("Reloaded"))

    def action_help(self) -> None:
        # Keys sharing an action are listed on one line: "↓ j  Down".
        keys: dict[str, list[str]] = {}
        for active in self.screen.active_bindings.values():
            if active.binding.description:
                keys.setdefault(active.binding.description, []).append(self.get_key_display(active.binding))
        self.push_screen(HelpScreen([(" ".join(displays), description) for description, displays in keys.items()]))


def run(database: Path, lang: str | None = None, *, exports: bool = True) -> int:
    app = DuikouApp(SharedAtlas(database), lang, exports=exports)
    app.run()
    if app.failure is not None:
        print(f"duikou: {app.failure}", file=sys.stderr)
    return app.return_code or 0
