"""Search: `/` opens a screen where results follow the typing; Enter jumps to the hit in the tree.

The shared atlas is asked in a thread worker, a moment after the last key; its answer comes back
as a HitsFound message, then the total the query asks for (if any) as an AnswerFound message,
shown above the results; each only while the input still holds that query.
"""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.browser.bindings import translated_bindings
from tui.browser.messages import AnswerFound, HitsFound
from tui.data.answer import answer
from tui.data.kinds import SEARCH_KINDS
from tui.data.search import Found, Hit, group_by_kind
from tui.data.shared import SharedAtlas
from tui.text.answers import answer_line, answer_quotes
from tui.text.format import visible
from tui.text.i18n import language, tr

# Seconds after the last key before the engine is asked: enough to let a burst of keys (a paste,
# fast typing) ask once, short enough that results follow a key within 100 ms (docs/benchmarks.md).
DEBOUNCE = 0.04
LIMIT = 50          # hits shown

KIND_HEADINGS = {kind.name: kind.heading for kind in SEARCH_KINDS}


def hit_line(hit: Hit) -> Text:
    """Why a hit matched and where it sits, on one line of plain text (no markup)."""
    reason = tr(hit.reason)
    if hit.matched and hit.matched != hit.label:
        reason = f"{reason}: {visible(hit.matched)}"
    if hit.missing:
        reason = f"{reason} ({tr('not matched')}: {visible(' '.join(hit.missing))})"
    return Text(f"{reason} · {visible(hit.context)}" if hit.context else reason)


def count_line(found: Found) -> str:
    """How many results are shown of how many match every word ("50 of 88 results")."""
    shown = len(found.complete)
    if not found.hits:
        return tr("No results.")
    if not found.total:
        return f"{tr('nothing matches every word; closest:')} {len(found.hits)}"
    if found.more:
        return tr("{shown} of {total}+ results", shown=shown, total=found.total)
    return tr("{shown} of {total} results", shown=shown, total=found.total)


class SearchScreen(ModalScreen["Hit | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        # Before the input's own keys, so the footer shows them while typing.
        Binding("down", "move('down')", "Next result", key_display="↓", priority=True),
        Binding("up", "move('up')", "Previous result", key_display="↑", priority=True),
        Binding("enter", "choose", "Go to", priority=True),
    ]

    def __init__(self, atlas: SharedAtlas) -> None:
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.atlas = atlas
        self.hits: list[Hit] = []
        self.shown_query = ""           # the query `hits` answer
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search"):
            yield Input(placeholder=tr("Search names, pinyin, figures…"), id="search-input")
            yield Static(Text(tr("Type to search.")), id="search-status")
            yield Static(id="search-answer", classes="-none")
            yield OptionList(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._prepare()

    @work(thread=True, group="search-prepare")
    def _prepare(self) -> None:
        self.atlas.prepare_search()

    @property
    def results(self) -> OptionList:
        return self.query_one(OptionList)

    # -- asking the engine -----------------------------------------------------------------------

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, lambda: self._search(self.query_one(Input).value))

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str) -> None:
        found = self.atlas.find(query, LIMIT)
        self.post_message(HitsFound(query, found))
        self.post_message(AnswerFound(query, self.atlas.ask(lambda atlas: answer(atlas.db, found.question))))

    @on(AnswerFound)
    def _show_answer(self, message: AnswerFound) -> None:
        if message.query != self.query_one(Input).value:
            return
        shown = self.query_one("#search-answer", Static)
        line = answer_line(message.answer, language()) if message.answer is not None else ""
        shown.set_class(not line, "-none")
        if line:
            text = Text(visible(line), style="bold")
            quotes = answer_quotes(message.answer)
            if quotes:
                text.append(f"\n“{visible(quotes[0][0])}” — {visible(quotes[0][1])}", style="dim")
            if len(quotes) > 1:
                text.append(f" ({tr('and {count} more quotes', count=len(quotes) - 1)})", style="dim")
            shown.update(text)

    @on(HitsFound)
    def _show(self, message: HitsFound) -> None:
        query, found = message.query, message.found
        hits = found.hits
        if query != self.query_one(Input).value:
            return      # typed on since: the answer to the newest query is on its way
        self.hits, self.shown_query = hits, query
        options: list[Option] = []
        first = None
        position = {id(hit): index for index, hit in enumerate(hits)}
        for kind, group in group_by_kind(hits).items():
            options.append(Option(Text(tr(KIND_HEADINGS.get(kind, kind)), style="bold"), disabled=True))
            for hit in group:
                if first is None:
                    first = len(options)
                prompt = Text.assemble("  ", visible(hit.label), "\n    ")
                line = hit_line(hit)
                line.stylize("dim")
                prompt.append_text(line)
                options.append(Option(prompt, id=str(position[id(hit)])))
        results = self.results
        results.clear_options()
        results.add_options(options)
        results.highlighted = first
        if not query.strip():
            status = tr("Type to search.")
        else:
            status = count_line(found)
        self.query_one("#search-status", Static).update(Text(status))

    # -- keys ------------------------------------------------------------------------------------

    def action_move(self, direction: str) -> None:
        if direction == "down":
            self.results.action_cursor_down()
        else:
            self.results.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        option = self.results.highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(self.hits[int(option.id)])

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.hits[int(event.option.id)])
