"""`duikou bench`: how fast and how lean Duikou is on one database, against the budgets of issue #6.

Every figure is a median and a 95th percentile over repetitions, beside a floor: the plainest
SQLite answer to nearly the same question (tui.data.floors), so "× floor" shows what our own work
adds. A figure is within budget when its 95th percentile is.
"""
from __future__ import annotations

import json
import math
import sqlite3
import statistics
import sys
import time
from argparse import ArgumentParser
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tui.cli.command import Action
from tui.data import Atlas, DuikouError, floors, open_database
from tui.data.atlas import Node, Party, Scope
from tui.data.names import HAN_RUN
from tui.data.search import match_expression, search

FIRST_PAINT_MS = 600
FIRST_PAINT_TEXTUAL = 1.5       # at most this many times a minimal Textual tree app's first paint (issue #17)
EXPAND_MS = 50                  # a donor opened: key to its recipients painted
ENGINE_MS = 20
APP_SEARCH_MS = 100
CHILDREN_MS = 50
TOTAL_ROW_MS = 20
MEMORY_MB = 120
EXPORT_MEMORY_MB = 150
AFTER_CHANGE_PAINT_MS = 1000    # the next first paint after another program's change (issue #14)
AFTER_CHANGE_SEARCH_MS = 500    # the next `duikou search`, which catches up first
CHECK_MS = 10_000               # `duikou check` beyond SQLite's own integrity check (issue #14)
AFTER_CHANGE_MEMORY_MB = 150
DETAIL_MS = 50
QUIET = 0.05    # seconds without a frame before a key is pressed: three frames at Textual's 60 a second
CHANGED_FIGURES = 1000

SEARCH_KINDS = ("one_char", "two_chars", "long_chinese", "traditional", "pinyin", "initials", "english", "number",
                "question")
SEED_QUERIES: dict[str, tuple[str, ...]] = {
    "one_char": ("九",), "two_chars": ("九龙",), "long_chinese": ("郎呷村跑山鸡",), "traditional": ("丹巴縣",),
    "pinyin": ("jiulong",), "initials": ("jlx",), "english": ("Jiulong County",), "number": ("1050万", "10500000"),
    "question": ("九龙 2017 脱贫 多少人", "成华丹巴医院投入多少"),
}
SIZE = (120, 40)                # the terminal of the cold start: columns, rows
FLOOR_MARK = "duikou-bench-floor"
# The first paint's other floor: the least a Textual app does before a tree's first row shows.
TEXTUAL_TREE = f"""from textual.app import App
from textual.widgets import Tree

class Floor(App):
    def compose(self):
        tree = Tree("root")
        tree.root.add_leaf({FLOOR_MARK!r})
        tree.root.expand()
        yield tree

Floor().run()"""


@dataclass(frozen=True)
class Measurement:
    name: str
    unit: str                   # 'ms' | 'MB'
    median: float | None        # None: nothing of this kind to measure here
    p95: float | None
    floor: float | None         # the floor's median, in the same unit
    budget: float | None
    samples: int
    note: str = ""
    floor_p95: float | None = None
    # A budget of so many times the floor: the median within it of the floor's median, and the p95
    # (`budget`) of the floor's p95. Both are started in turns and meet the machine's pauses, which
    # move a p95 of eight starts by a third of its median, the floor's as much as Duikou's.
    times_floor: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.median is not None and self.floor else None

    @property
    def within_budget(self) -> bool | None:
        if self.budget is None or self.p95 is None:
            return None
        return self.p95 <= self.budget and (self.times_floor is None or self.ratio <= self.times_floor)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "unit": self.unit, "median": self.median, "p95": self.p95, "floor": self.floor,
                "ratio": self.ratio, "budget": self.budget, "within_budget": self.within_budget,
                "samples": self.samples, "note": self.note, "floor_p95": self.floor_p95, "times_floor": self.times_floor}


@dataclass(frozen=True)
class Subjects:
    """What is measured: the first donor on screen, the largest donor and the busiest node."""
    first_donor: str
    donor: floors.Donor
    node: floors.BusiestNode
    queries: dict[str, list[str]]


def measured(name: str, unit: str, samples: list[float], floor: list[float] | None = None,
             budget: float | None = None, note: str = "", *, times_floor: float | None = None) -> Measurement:
    """`times_floor`: a budget relative to the floor, in place of `budget`."""
    if not samples:
        return Measurement(name, unit, None, None, None, budget, 0, note or "nothing of this kind to measure")
    floor_p95 = percentile(floor, 95) if floor else None
    if times_floor is not None and floor_p95 is not None:
        budget = times_floor * floor_p95
    return Measurement(name, unit, statistics.median(samples), percentile(samples, 95),
                       statistics.median(floor) if floor else None, budget, len(samples), note, floor_p95, times_floor)


def percentile(samples: list[float], percent: float) -> float:
    """The nearest-rank percentile: a value that was measured, never an interpolation."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def timed(call: Callable[[], object], repeats: int) -> list[float]:
    """Milliseconds of each of `repeats` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


# -- the command ------------------------------------------------------------------------------------

# The groups of measurements, as `--only` names them.
GROUPS = ("start", "search", "children", "rollup", "v_total", "export", "detail", "after_change", "check")


def bench(database: Path, *, runs: int, as_json: bool, only: str | None = None) -> int:
    if runs < 1:
        raise DuikouError("--runs must be at least 1")
    db = open_database(database)        # rows added outside are indexed now, not inside a timing
    atlas = Atlas(db)
    subjects = find_subjects(db, atlas)
    groups: dict[str, Callable[[], list[Measurement]]] = {
        "start": lambda: [*_first_paint(database, subjects, runs), _expand_donor(database, runs)],
        "search": lambda: _search(database, db, subjects, runs),
        "children": lambda: _children(db, atlas, subjects, runs * 5),
        "rollup": lambda: _roll_ups(db, atlas, subjects, runs),
        "v_total": lambda: _total_rows(db, subjects, runs * 5),
        "export": lambda: _export(database),
        "detail": lambda: _sector_detail(atlas, subjects, runs * 5),
        "after_change": lambda: _after_changes(database, subjects, runs),
        "check": lambda: _check(db, database),
    }
    results = [
        *(measurement for name in GROUPS if only in (None, name) for measurement in groups[name]()),
        measured("bench_peak_memory", "MB", [_own_peak_mb()],
                 note="this bench process, the headless app included; the budget is the app's"),
    ]
    if as_json:
        print(json.dumps(_report(database, runs, subjects, results), indent=1))
    else:
        _print_table(database, subjects, results)
    return 0


def find_subjects(db: sqlite3.Connection, atlas: Atlas) -> Subjects:
    roots = atlas.children(None, limit=1)
    donor, node = floors.largest_donor(db), floors.busiest_node(db)
    if not roots or donor is None or node is None:
        raise DuikouError("nothing to measure: the database has no pairing with projects")
    return Subjects(roots[0].label, donor, node, _queries(db, node))


def _queries(db: sqlite3.Connection, node: floors.BusiestNode) -> dict[str, list[str]]:
    """The seed queries, and queries of each kind made from names in this database, that find something."""
    from opencc import OpenCC

    from tui.data.index import plain_number
    from tui.data.names import pinyin_forms

    han = "".join(HAN_RUN.findall(node.recipient))
    # A run of characters as written in a project's name: longer queries are parts of names.
    names = floors.project_names_in(db, node.pairing_id, node.sector, 20)
    project = next((run for name in names for run in HAN_RUN.findall(name) if len(run) >= 4), "")
    _, joined, initials = pinyin_forms(node.recipient)
    value = floors.largest_money_figure(db)
    derived = {
        "one_char": han[:1], "two_chars": han[:2], "long_chinese": project[:6],
        "traditional": OpenCC("s2t").convert(han) if len(han) >= 2 else "",
        "pinyin": joined, "initials": initials, "english": floors.english_place_name(db, node.recipient) or "",
        "number": f"{plain_number(value / 10_000)}万" if value and value >= 10_000 else "",
        # A question of five words as people type them: a place, a year, a thing, a money word, an asking word.
        "question": f"{han[:2]} 2018 {project[:4]} 投入 多少" if len(han) >= 2 and project else "",
    }
    queries = {}
    for kind in SEARCH_KINDS:
        candidates = dict.fromkeys([*SEED_QUERIES[kind], derived[kind]])
        queries[kind] = [query for query in candidates if query and search(db, query, 1)]
    return queries


# -- the measurements -------------------------------------------------------------------------------

def _first_paint(database: Path, subjects: Subjects, runs: int) -> list[Measurement]:
    from tui.cli.cold_start import cold_start
    from tui.text.format import visible

    # The first donor's name is on screen only once the tree has its rows; its first characters
    # suffice, and a long name may be cut at the tree's edge.
    mark = visible(subjects.first_donor)[:6]
    command = [sys.executable, "-m", "tui", "--db", str(database)]
    textual = [sys.executable, "-c", TEXTUAL_TREE]
    # One start of each first, not counted (as `hyperfine --warmup 1`): the process is cold in every
    # run, the system's file cache warm, so the runs measure Duikou rather than the disk.
    cold_start(command, mark, size=SIZE)
    cold_start(textual, FLOOR_MARK, size=SIZE)
    app, tree = [], []
    for _ in range(runs):   # side by side, so that both meet the same load on the machine
        app.append(cold_start(command, mark, size=SIZE))
        tree.append(cold_start(textual, FLOOR_MARK, size=SIZE))
    # It waits to be stopped, as the app does, so that its memory is read the same way.
    bare = [cold_start([sys.executable, "-c", f"print({FLOOR_MARK!r}); import time; time.sleep(60)"], FLOOR_MARK,
                       size=SIZE) for _ in range(runs)]
    app_ms, tree_ms = [start.seconds * 1000 for start in app], [start.seconds * 1000 for start in tree]
    note = (f"whole process in a {SIZE[0]}×{SIZE[1]} pseudo-terminal, after one start not counted; "
            f"floor: a bare Python printing a line")
    return [measured("first_paint", "ms", app_ms, [start.seconds * 1000 for start in bare], FIRST_PAINT_MS, note),
            measured("first_paint_textual", "ms", app_ms, tree_ms,
                     note=f"the same starts; floor: a minimal Textual app painting a Tree, started alternately "
                          f"with Duikou; within budget when its median is within {FIRST_PAINT_TEXTUAL}× the floor's "
                          f"median and its p95 within {FIRST_PAINT_TEXTUAL}× the floor's p95 (the budget shown)",
                     times_floor=FIRST_PAINT_TEXTUAL),
            measured("app_peak_memory", "MB", [start.peak_mb for start in app], [start.peak_mb for start in bare],
                     MEMORY_MB, "the app until its first screen settled; floor: a bare Python")]


def _expand_donor(database: Path, runs: int) -> Measurement:
    """Milliseconds from → on a donor to its recipients painted, for the first donors of the tree
    (each opened once, so each asks the database), in the headless app."""
    import asyncio

    times, floor = asyncio.run(_open_donors(database, runs))
    return measured("expand_donor", "ms", times, floor, EXPAND_MS,
                    "→ on each of the first donors until its recipients are painted; "
                    "floor: the same key on a donor already open and closed (no database)")


@contextmanager
def frames_written(screen, written: Callable[[], None]):
    """Call `written` after each frame `screen` writes to the terminal, for as long as this holds.
    Textual tells of no frame written: its private `_compositor_refresh` writes one
    (`tests/test_bench.py` runs this, so a Textual that renames it fails there)."""
    write_frame = screen._compositor_refresh

    def write() -> None:
        write_frame()
        written()

    screen._compositor_refresh = write
    try:
        yield
    finally:
        del screen._compositor_refresh


async def _open_donors(database: Path, runs: int) -> tuple[list[float], list[float]]:
    import asyncio

    from textual import events

    from tui.browser.app import DuikouApp
    from tui.browser.widgets.atlas_tree import AtlasTree
    from tui.data.atlas import Node
    from tui.data.shared import SharedAtlas

    app = DuikouApp(SharedAtlas(database), "en")
    times: list[float] = []
    floor: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        tree = app.query_one(AtlasTree)

        async def settled() -> None:
            """Every worker done and what it posted painted: the pane's new detail is mounted and laid
            out, as it is for a person who looked at the donor before pressing the key."""
            while True:
                await app.workers.wait_for_complete()
                await pilot.pause()     # what the workers posted, handled
                at_rest = asyncio.get_running_loop().create_future()
                app.screen.call_after_refresh(lambda: at_rest.done() or at_rest.set_result(None))
                await at_rest      # called once the screen has nothing left to lay out or paint
                if all(worker.is_finished for worker in app.workers) and await painted_nothing_for(QUIET):
                    return

        async def painted_nothing_for(seconds: float) -> bool:
            """No frame written for `seconds`. The pane's widgets size themselves once laid out (the
            charts to their width) and paint again: a key pressed between those frames waited for
            them, 20-35 ms more on the first donor in half the runs."""
            frames = []
            with frames_written(app.screen, lambda: frames.append(1)):
                await asyncio.sleep(seconds)
            return not frames

        async def press_right() -> float:
            """→ on the cursor's donor, until the first frame that shows its children is written.
            Textual tells of no frame written: `call_after_refresh` waits until nothing is left to
            paint, a frame later whenever the scrollbar repaints itself after the rows came."""
            node = tree.cursor_node
            painted = asyncio.get_running_loop().create_future()

            def frame() -> None:
                shows_children = node.is_expanded and any(isinstance(child.data, Node) for child in node.children)
                if shows_children and not painted.done():
                    painted.set_result(time.perf_counter())

            with frames_written(app.screen, frame):
                start = time.perf_counter()
                app.post_message(events.Key("right", None))
                try:
                    return (await asyncio.wait_for(painted, 20) - start) * 1000
                except TimeoutError:
                    raise DuikouError("bench: a donor's recipients were never painted within 20 s") from None

        await settled()
        donors = [child for child in tree.root.children if isinstance(child.data, Node)][:max(1, runs)]
        for donor in donors:
            tree.move_cursor(donor)
            await settled()
            times.append(await press_right())
            await settled()
            tree.cursor_node.collapse()
            await pilot.pause()
            floor.append(await press_right())    # open again: its children are there already
            tree.cursor_node.collapse()
            await settled()
    return times, floor


def _search(database: Path, db: sqlite3.Connection, subjects: Subjects, runs: int) -> list[Measurement]:
    from tui.browser.screens.search import DEBOUNCE, LIMIT

    repeats = runs * 5
    engine, floor = {}, {}
    for kind, queries in subjects.queries.items():
        engine[kind] = [t for query in queries for t in timed(lambda: search(db, query, LIMIT), repeats)]
        expressions = [match_expression(db, query) for query in queries]
        floor[kind] = [t for expression in expressions
                       for t in timed(lambda: floors.search_floor(db, expression, LIMIT), repeats)]
    app, first = _app_search_times(database, db, subjects, runs)
    typed = f"last key to the results list filled, the {DEBOUNCE * 1000:.0f} ms pause after typing included"
    return [*(measured(f"search_engine.{kind}", "ms", engine[kind], floor[kind], ENGINE_MS,
                       "floor: one FTS5 MATCH of the same phrases") for kind in subjects.queries),
            *(measured(f"search_app.{kind}", "ms", app[kind], floor[kind], APP_SEARCH_MS, typed)
              for kind in subjects.queries),
            measured("search_app.first_after_start", "ms", first, floor["question"], APP_SEARCH_MS,
                     "the first question typed into a newly started app, each run in an app of its own")]


def _app_search_times(database: Path, db: sqlite3.Connection, subjects: Subjects,
                      runs: int) -> tuple[dict[str, list[float]], list[float]]:
    """Milliseconds from the last key to the results, for each kind of query, typed into the app;
    and for the first question typed into an app just started (what the first search pays)."""
    import asyncio

    from tui.browser.screens.search import LIMIT

    expected = {query: [(hit.kind, hit.ref) for hit in search(db, query, LIMIT)]
                for queries in subjects.queries.values() for query in queries}
    times = asyncio.run(_type_queries(database, expected, runs))
    question = subjects.queries["question"][-1]
    first = [asyncio.run(_type_queries(database, {question: expected[question]}, 1))[question][0]
             for _ in range(runs)]
    return {kind: [t for query in queries for t in times[query]] for kind, queries in subjects.queries.items()}, first


async def _type_queries(database: Path, expected: dict[str, list], runs: int) -> dict[str, list[float]]:
    """Milliseconds from the last key of each query to the search screen listing its results, in
    an app started for these queries (the first of them is the app's first search)."""
    from textual import events
    from textual.widgets import Input

    from tui.browser.app import DuikouApp
    from tui.browser.screens.search import SearchScreen
    from tui.data.shared import SharedAtlas

    app = DuikouApp(SharedAtlas(database), "en")
    times: dict[str, list[float]] = {query: [] for query in expected}
    async with app.run_test(size=SIZE) as pilot:
        # The tree and the detail pane load first; a search typed meanwhile would wait for them.
        while not all(worker.is_finished for worker in app.workers):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("slash")
        await _until(lambda: isinstance(app.screen, SearchScreen), "the search screen never opened")
        screen = app.screen
        field = screen.query_one(Input)
        for _ in range(runs):
            for query, hits in expected.items():
                field.value = ""
                await _until(lambda: not screen.hits and screen.results.option_count == 0,
                             "the search screen never emptied")
                await pilot.press(*query[:-1])
                # The last key goes in as a terminal's would, without the pilot's waits for quiet
                # after it, which would count its own pauses as the app's.
                start = time.perf_counter()
                app.post_message(events.Key(query[-1], query[-1]))
                await _until(lambda: field.value == query and screen.shown_query == query
                             and [(hit.kind, hit.ref) for hit in screen.hits] == hits
                             and screen.results.option_count > 0, f"no results shown for {query!r}")
                times[query].append((time.perf_counter() - start) * 1000)
    return times


async def _until(condition: Callable[[], bool], failure: str, timeout: float = 20) -> None:
    import asyncio

    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise DuikouError(f"bench: {failure} within {timeout:.0f} s")
        await asyncio.sleep(0.001)


def _children(db: sqlite3.Connection, atlas: Atlas, subjects: Subjects, repeats: int) -> list[Measurement]:
    from tui.data.atlas import PAGE

    donor, node = subjects.donor, subjects.node
    donor_scope = Scope(donor=Party(donor.place_id, donor.org_id))
    donor_node = Node("donor", donor_scope, donor.name, None, donor.projects, True)
    busiest = Node("sector", atlas.pairing_scope(node.root_pairing_id)._replace(sector=node.sector),
                   node.sector, None, node.projects, True)
    cases = [
        ("root", None, lambda: floors.root_floor(db, PAGE), "floor: donors grouped from the root pairings"),
        ("largest_donor", donor_node, lambda: floors.recipients_floor(db, donor, PAGE),
         f"{donor.name}, {donor.projects} projects; floor: its recipients grouped"),
        ("busiest_node", busiest, lambda: floors.projects_floor(db, node, PAGE),
         f"{node.recipient} · {node.sector}, {node.projects} projects; floor: one page off the project index"),
    ]
    return [measured(f"children.{name}", "ms", timed(lambda: atlas.children(parent), repeats),
                     timed(floor, repeats), CHILDREN_MS, note)
            for name, parent, floor, note in cases]


def _roll_ups(db: sqlite3.Connection, atlas: Atlas, subjects: Subjects, repeats: int) -> list[Measurement]:
    donor = subjects.donor
    scope = Scope(donor=Party(donor.place_id, donor.org_id))
    floor = timed(lambda: floors.donor_sums_floor(db, donor), repeats)
    note = f"{donor.name}; floor: its additive figures summed plainly"
    return [measured("rollup.totals", "ms", timed(lambda: atlas.totals(scope), repeats),
                     floor, note=note),
            measured("rollup.scope_detail", "ms",
                     timed(lambda: atlas.scope_detail(scope), repeats), floor, note=note)]


def _sector_detail(atlas: Atlas, subjects: Subjects, repeats: int) -> list[Measurement]:
    """The detail pane's question for the busiest node, a sector with the most projects."""
    node = subjects.node
    busiest = Node("sector", atlas.pairing_scope(node.root_pairing_id)._replace(sector=node.sector),
                   node.sector, None, node.projects, True)
    floor = timed(lambda: floors.projects_floor(atlas.db, node, 20), repeats)
    return [measured("detail.busiest_sector", "ms", timed(lambda: atlas.detail(busiest), repeats), floor, DETAIL_MS,
                     f"{node.recipient} · {node.sector}, {node.projects} projects; floor: twenty of its projects "
                     f"off the project index")]


# Where another program's figures go, in the three cases of issue #14: (name, what the note says,
# the projects that receive them as SQL over the copy).
_CHANGES = (
    ("one_small_pairing", "a pairing of about 500 projects",
     """SELECT p.id FROM project p JOIN pairing pr ON pr.id = p.pairing_id
        WHERE coalesce(pr.parent_id, pr.id) = (SELECT pairing_id FROM rollup_cell GROUP BY pairing_id
                                               ORDER BY abs(sum(projects) - 500) LIMIT 1)"""),
    ("largest_pairing", "the pairing with the most projects",
     """SELECT p.id FROM project p JOIN pairing pr ON pr.id = p.pairing_id
        WHERE coalesce(pr.parent_id, pr.id) = (SELECT pairing_id FROM rollup_cell GROUP BY pairing_id
                                               ORDER BY sum(projects) DESC LIMIT 1)"""),
    ("random_projects", "projects chosen at random", "SELECT id FROM project"),
)


def _after_changes(database: Path, subjects: Subjects, runs: int) -> list[Measurement]:
    """Another program (plain sqlite3, on a copy the bench makes) adds figures; then the next start
    of the app paints, and the next `duikou search` catches up and answers."""
    import os
    import random
    import shutil
    import tempfile

    from tui.cli.cold_start import cold_start
    from tui.text.format import visible

    mark = visible(subjects.first_donor)[:6]
    query = subjects.queries["two_chars"][-1] if subjects.queries["two_chars"] else "九龙"
    results = []
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "changed.db"
        shutil.copyfile(database, copy)
        with open(copy, "rb+") as copied:
            # On disk before anything is timed: the writes a national file's copy leaves pending
            # would otherwise hold up the first catch-up's own writes by seconds.
            os.fsync(copied.fileno())
        rng = random.Random(0)
        # The floors: the same copy before any change, started and searched the same way.
        unchanged_paint = cold_start([sys.executable, "-m", "tui", "--db", str(copy)], mark, size=SIZE)
        unchanged_search, unchanged_peak = _search_process(copy, query)
        for name, where, projects_sql in _CHANGES:
            paints, searches, peaks = [], [], []
            for _ in range(runs):
                _add_figures(copy, projects_sql, rng)
                paints.append(cold_start([sys.executable, "-m", "tui", "--db", str(copy)], mark, size=SIZE))
                # A change of its own: the app may have caught up with the last one before it was stopped.
                _add_figures(copy, projects_sql, rng)
                milliseconds, peak = _search_process(copy, query)
                searches.append(milliseconds)
                peaks.append(peak)
            note = (f"{CHANGED_FIGURES:,} figures added with plain sqlite3 to {where}, on a copy, before each start and each search; "
                    f"the app catches up after painting, `duikou search {query}` (a process of its own) before "
                    f"answering; floor: the copy before any change")
            results += [
                measured(f"after_change.{name}.first_paint", "ms", [paint.seconds * 1000 for paint in paints],
                         [unchanged_paint.seconds * 1000], AFTER_CHANGE_PAINT_MS, note),
                measured(f"after_change.{name}.app_peak_memory", "MB", [paint.peak_mb for paint in paints],
                         [unchanged_paint.peak_mb], AFTER_CHANGE_MEMORY_MB, note),
                measured(f"after_change.{name}.search", "ms", searches, [unchanged_search], AFTER_CHANGE_SEARCH_MS, note),
                measured(f"after_change.{name}.search_peak_memory", "MB", peaks, [unchanged_peak],
                         AFTER_CHANGE_MEMORY_MB, note)]
    return results


def _check(db: sqlite3.Connection, database: Path) -> list[Measurement]:
    """`duikou check --no-integrity`, once: every check of the data and of the derived tables
    (those at national scale on a sample), SQLite's own integrity check left out."""
    from tui.data.check import check

    return [measured("check.without_integrity", "ms", timed(lambda: check(database, integrity=False), 1),
                     timed(lambda: db.execute("SELECT max(length(evidence)) FROM figure").fetchone(), 1), CHECK_MS,
                     "duikou check --no-integrity, in this process; floor: one read of every figure's quote")]


def _search_process(database: Path, query: str) -> tuple[float, float]:
    """Milliseconds and peak megabytes of `duikou search QUERY` in a process of its own."""
    import subprocess

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_OF_COMMAND, "search", "--db", str(database), query],
                          capture_output=True, text=True, check=False)
    milliseconds = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise DuikouError(f"bench: `duikou search` failed: {done.stderr.strip()[-200:]}")
    return milliseconds, _in_mb(int(done.stdout.split()[-1]))


def _add_figures(database: Path, projects_sql: str, rng) -> None:
    """What another program does: figures of money on projects `projects_sql` names, in one transaction."""
    with closing(sqlite3.connect(database, isolation_level=None)) as db:
        projects = [project for (project,) in db.execute(projects_sql)]
        first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM figure").fetchone()[0]
        db.execute("BEGIN")
        db.executemany("INSERT INTO figure (id, project_id, measure, name, value, unit, year) "
                       "VALUES (?, ?, 'aid_funds', '另一个程序的资金', ?, 'CNY', 2019)",
                       [(first + number, rng.choice(projects), rng.randint(1, 10**6))
                        for number in range(CHANGED_FIGURES)])
        db.execute("COMMIT")


# A process that runs duikou's command line, then prints its own peak resident memory last.
_PEAK_OF_COMMAND = """import resource, sys
try:
    from tui.cli import main
    code = main(sys.argv[1:])
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)"""


def _export(database: Path) -> list[Measurement]:
    """The whole database exported as IATI XML (the format that holds the most at once: a pairing's
    figures, an activity's elements), once, in a process of its own, to a file then removed."""
    import subprocess
    import tempfile

    def peak_mb(*arguments: str) -> tuple[float, float]:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PEAK_OF_COMMAND, *arguments],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise DuikouError(f"bench: the export failed: {done.stderr.strip()[-200:]}")
        return _in_mb(int(done.stdout.split()[-1])), time.perf_counter() - start

    with tempfile.TemporaryDirectory() as folder:
        export, seconds = peak_mb("--db", str(database), "export", "--format", "iati",
                                  "--output", str(Path(folder) / "all.xml"))
    floor, _ = peak_mb("--help")
    return [measured("export.iati_peak_memory", "MB", [export], [floor], EXPORT_MEMORY_MB,
                     f"duikou export --format iati of the whole database, once ({seconds:,.0f} s); "
                     f"floor: the same process printing its help")]


def _in_mb(max_rss: int) -> float:
    return max_rss / (1 << 20 if sys.platform == "darwin" else 1 << 10)


# One row of v_total, as a user's SQL (or Datasette) asks for it: a scope's money given.
_TOTAL_ROW = """SELECT value, figures, beside FROM v_total
    WHERE scope = :scope AND donor IS :donor AND recipient IS :recipient AND measure = 'aid_funds' AND unit = 'CNY'
      AND basis = 'actual' AND sector IS :sector AND year IS NULL AND (:pairing IS NULL OR pairing_id = :pairing)"""


def _total_rows(db: sqlite3.Connection, subjects: Subjects, repeats: int) -> list[Measurement]:
    donor, node = subjects.donor, subjects.node
    (pairing_donor,) = db.execute("SELECT donor FROM pairing_names WHERE id = ?", (node.root_pairing_id,)).fetchone()
    floor = timed(lambda: db.execute("SELECT value FROM total WHERE rowid = 1").fetchall(), repeats)
    cases = [("all", {"scope": "all", "donor": None, "recipient": None, "sector": None, "pairing": None},
              "every pairing's money given"),
             ("donor", {"scope": "donor", "donor": donor.name, "recipient": None, "sector": None, "pairing": None},
              f"{donor.name}'s money given"),
             ("recipient", {"scope": "recipient", "donor": None, "recipient": node.recipient, "sector": None,
                            "pairing": None}, f"{node.recipient}'s money received"),
             ("pairing", {"scope": "pairing", "donor": pairing_donor, "recipient": node.recipient, "sector": node.sector,
                          "pairing": node.root_pairing_id}, f"{node.recipient} · {node.sector}")]
    return [measured(f"v_total.{name}", "ms", timed(lambda: db.execute(_TOTAL_ROW, params).fetchall(), repeats),
                     floor, TOTAL_ROW_MS, f"{note}; floor: one row of the total table by rowid")
            for name, params, note in cases]


def _own_peak_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20 if sys.platform == "darwin" else 1 << 10)


# -- the report -------------------------------------------------------------------------------------

def _report(database: Path, runs: int, subjects: Subjects, results: list[Measurement]) -> dict[str, object]:
    return {
        "database": str(database), "runs": runs,
        "subjects": {"first_donor": subjects.first_donor, "largest_donor": subjects.donor.name,
                     "largest_donor_projects": subjects.donor.projects,
                     "busiest_node": f"{subjects.node.recipient} · {subjects.node.sector}",
                     "busiest_node_projects": subjects.node.projects, "queries": subjects.queries},
        "measurements": [result.as_dict() for result in results],
    }


def _print_table(database: Path, subjects: Subjects, results: list[Measurement]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.text.format import visible

    table = Table(box=box.SIMPLE_HEAD, title=Text(f"duikou bench · {visible(str(database))}"),
                  caption=Text("× floor: median ÷ the floor's median. Within budget when the p95 is."))
    for heading in ("measurement", "unit", "median", "p95", "floor", "× floor", "budget", ""):
        table.add_column(heading, justify="left" if heading in ("measurement", "unit") else "right", no_wrap=True)
    verdicts = {True: Text("ok", style="green"), False: Text("over", style="bold red"), None: Text("")}
    group = None
    for result in results:
        heading, _, name = result.name.rpartition(".")
        if heading and heading != group:
            table.add_row(Text(heading, style="bold"))
        group = heading
        table.add_row(Text(f"  {name}" if heading else name), result.unit,
                      *(_amount(value) for value in (result.median, result.p95, result.floor)),
                      _amount(result.ratio),
                      _amount(result.budget), verdicts[result.within_budget])
    console = Console()
    console.print(table)
    notes: dict[str, list[str]] = {}
    for result in results:
        if result.note:
            notes.setdefault(result.note, []).append(result.name)
    for note, names in notes.items():
        shown = names[0] if len(names) == 1 else names[0].rpartition(".")[0] + ".*"
        console.print(Text(f"{shown}: {visible(note)}", style="dim"))
    for kind, queries in subjects.queries.items():
        console.print(Text(f"queries, {kind}: {visible(' · '.join(queries)) or '(none finds anything)'}", style="dim"))


def _amount(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.{3 if value < 1 else 2 if value < 10 else 1 if value < 100 else 0}f}"


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="the measurements as one JSON object")
    parser.add_argument("--runs", type=int, default=5, help="cold starts to time (default 5); more for the rest")
    parser.add_argument("--only", choices=GROUPS, help="only this group of measurements (and the bench's memory)")


BENCH = Action(lambda args, database: bench(database, runs=args.runs, as_json=args.json, only=args.only),
               _arguments)
