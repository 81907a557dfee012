"""`duikou check`: what is wrong with a database, one finding per row, without changing it.

Every finding is a Problem: the kind of check that found it, the table and row it is about (both
None for the file as a whole) and a sentence. Problems make `duikou check` exit 1; warnings are
findings a curator has to look at but that may be right (parts that add up to more than their
total: the source itself can be wrong, as db/CURATION.md explains for figure 10440; a plan linked
inside money given; money whose quote reads as a rate).
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from queue import Empty, Queue
from threading import Thread
from typing import Callable

from tui.data import rollup
from tui.data.connection import NOT_A_NUMBER, connect
from tui.data.derived import missing_triggers, outdated_triggers
from tui.data.errors import DuikouError
from tui.data.kinds import SEARCH_KINDS
from tui.data.names import dictionary_entries
from tui.data.numbers import first_number, first_number_span, is_number, same_value
from tui.data.references import broken_references

# Index rows whose item is gone, and items missing from the index (neither waiting to be indexed);
# {index}, {table} and {column} come from the search kinds, never from the data. On a small file
# the full-text table itself is read; at national scale search_key, which says which item each
# index row holds by an ordinary index (reading the full-text table's every row takes minutes).
_INDEX_CHECKS = (
    ("SELECT DISTINCT ref FROM {index} WHERE kind = ? AND ref NOT IN (SELECT {column} FROM {table}) "
     "AND NOT EXISTS (SELECT 1 FROM search_stale s WHERE s.kind = ? AND s.ref = {index}.ref)",
     "the search index still lists it, but the row is gone"),
    # (NOT IN: the index's ref has no type, so a lookup of each row's integer id could not use an index)
    ("SELECT {column} FROM {table} WHERE {column} NOT IN (SELECT ref FROM {index} WHERE kind = ?) "
     "AND {column} NOT IN (SELECT ref FROM search_stale WHERE kind = ?)",
     "search cannot find it: the row is missing from the index"),
)
_INDEX_READ_WHOLE = 200_000     # index rows up to which the full-text table itself is checked


@dataclass(frozen=True)
class Problem:
    kind: str              # integrity, orphan, evidence, wording, cycle, parts, sectors, basis, rate, trigger,
                           # index, rollups, dictionary, open
    table: str | None      # None: the file as a whole
    row: object | None     # the row's id (or key)
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.table} {self.row}" if self.table is not None else "database"
        return f"{'warning: ' if self.warning else ''}{where}: {self.message}"


def check(path: Path, *, integrity: bool = True) -> list[Problem]:
    """Every problem found in the database at `path`; a file that cannot be opened is one problem.
    Without `integrity`, SQLite's own check of every page, index and CHECK rule is left out.

    SQLite lets go of Python's lock while it reads, so the checks are shared out between two
    connections, each taking the next check as it finishes one: on two cores the check takes
    about half as long as one after another."""
    try:
        connect(path).close()
    except DuikouError as error:
        return [Problem("open", None, None, str(error))]
    steps = [(name, step) for name, step in _STEPS if integrity or step is not _integrity]
    pending: Queue = Queue()
    for name, step in steps:
        pending.put((name, step))
    found: dict[str, list[Problem]] = {}

    def take_checks() -> None:
        try:
            db = connect(path)
        except DuikouError:
            return      # the other connection takes them all
        with closing(db):
            while True:
                try:
                    name, step = pending.get_nowait()
                except Empty:
                    return
                found[name] = _run(db, name, step)

    workers = [Thread(target=take_checks) for _ in range(_CONNECTIONS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return [problem for name, _ in steps
            for problem in found.get(name, [Problem(name, None, None, f"the {name} check could not run")])]


def _run(db: sqlite3.Connection, name: str, step: Callable[[sqlite3.Connection], list[Problem]]) -> list[Problem]:
    try:
        return step(db)
    except sqlite3.DatabaseError as error:
        return [Problem(name, None, None, f"the {name} check could not run: {error}")]


def _integrity(db: sqlite3.Connection) -> list[Problem]:
    lines = [line for (row,) in db.execute("PRAGMA integrity_check(20)") for line in str(row).splitlines()]
    if lines == ["ok"]:
        return []
    return [Problem("integrity", None, None, f"SQLite integrity check: {line}") for line in lines
            if line and not line.startswith("***")]


def _orphans(db: sqlite3.Connection) -> list[Problem]:
    return [Problem("orphan", ref.table, ref.rowid,
                    f"{ref.column} = {ref.value!r} refers to a {ref.parent} that does not exist "
                    f"(added with foreign keys off?): add that {ref.parent} or fix the {ref.column}")
            for ref in broken_references(db)]


def _figures(db: sqlite3.Connection) -> list[Problem]:
    problems = []
    # A quote holding the whole wording is quoted: SQLite finds those, and only the rest are read here.
    for figure_id, value, wording, evidence in db.execute(f"""
            SELECT id, value, wording, evidence FROM figure
            WHERE {NOT_A_NUMBER} OR (wording IS NOT NULL AND evidence IS NOT NULL AND instr(evidence, wording) = 0)
            ORDER BY id"""):
        if not is_number(value):
            problems.append(Problem("figure", "figure", figure_id, f"its value {str(value)[:40]!r} is not a number: "
                                                                   f"set it with `duikou load` (UPDATE figure SET value = …)"))
        if wording is not None and evidence is not None and not _quoted(wording, evidence):
            problems.append(Problem("evidence", "figure", figure_id,
                                    f"its evidence «{evidence}» does not contain its wording «{wording}»"))
    # Wordings and values repeat (a million figures hold some thirty thousand pairs): each pair is read once.
    for wording, value, unit, ids in db.execute("SELECT wording, value, unit, group_concat(id) FROM figure "
                                                "WHERE wording IS NOT NULL GROUP BY wording, value, unit"):
        number = first_number(wording)
        if number is None:
            message = f"its wording «{wording}» holds no number"
        elif is_number(value) and not same_value(number, value):
            message = f"its wording «{wording}» reads as {number:g}, but its value is {value:g} {unit}"
        else:
            continue
        problems += [Problem("wording", "figure", int(figure_id), message) for figure_id in ids.split(",")]
    return sorted(problems, key=lambda problem: problem.row)


def _quoted(wording: str, evidence: str) -> bool:
    """The wording stands in the quote, allowing the quote to drop a trailing unit (1050万元 → 1050万):
    some leading part of it, at least two characters long and reading as the same number, does.

    Every shorter leading part of one the quote holds is held too, so the longest is found by
    halving, and only parts that cut the number short need reading: a long wording costs
    n log n, not n²."""
    wording = wording.strip()
    low, high = 0, len(wording)            # wording[:low] is in the quote; wording[:high + 1] is not
    while low < high:
        middle = (low + high + 1) // 2
        if wording[:middle] in evidence:
            low = middle
        else:
            high = middle - 1
    shortest = min(2, len(wording))
    if low < max(shortest, 1):
        return False
    span = first_number_span(wording)
    if span is None or low >= span[1]:     # no number to keep, or the part holds all of it
        return True
    number = first_number(wording)         # the part cuts the number: read each cut, few as they are
    return any(first_number(wording[:length]) == number for length in range(max(shortest, span[0] + 1), low + 1))


# A figure's sector and basis as db/rollup.sql's figure_summed gives them (money given to no named
# sector is 'overall'), for a figure {f} and its project {p}: written out here because that view
# also looks up each figure's pairing, a third more reading at a million figures.
_SECTOR = "coalesce({f}.sector, {p}.sector, 'overall')"
_BASIS = "coalesce({f}.basis, CASE WHEN {f}.qualifier = 'planned' THEN 'planned' ELSE 'actual' END)"
# Which parts (c) of a total (t) each check adds: those of its unit; those in other sectors, which
# the sector breakdown takes out of its own sector's row; and the planned parts of an actual total.
_OF_ITS_UNIT = "c.unit = t.unit AND typeof(c.value) IN ('integer', 'real')"
_IN_OTHER_SECTORS = (f"c.measure = t.measure AND c.unit = t.unit AND c.counts_in_sums = 1 AND t.counts_in_sums = 1 "
                     f"AND {_BASIS.format(f='c')} = {_BASIS.format(f='t')} "
                     f"AND {_SECTOR.format(f='c', p='cp')} <> {_SECTOR.format(f='t', p='tp')}")
_PLANNED_IN_ACTUAL = (f"c.measure = t.measure AND c.unit = t.unit "
                      f"AND {_BASIS.format(f='c')} = 'planned' AND {_BASIS.format(f='t')} = 'actual'")
# Each total with its parts, in one pass from the parts through the index of part_of_id (which
# orders them by total, so that grouping needs no sorting); only the totals some check flags.
_PARTS_AND_TOTALS = f"""
SELECT t.id, t.value, t.unit,
       sum(c.value) FILTER (WHERE {_OF_ITS_UNIT}), count(*) FILTER (WHERE {_OF_ITS_UNIT}),
       sum(c.value) FILTER (WHERE {_IN_OTHER_SECTORS}), count(*) FILTER (WHERE {_IN_OTHER_SECTORS}),
       group_concat(c.id) FILTER (WHERE {_PLANNED_IN_ACTUAL})
FROM figure c CROSS JOIN figure t ON t.id = c.part_of_id
LEFT JOIN project cp ON cp.id = c.project_id LEFT JOIN project tp ON tp.id = t.project_id
WHERE c.part_of_id IS NOT NULL
GROUP BY c.part_of_id
HAVING sum(c.value) FILTER (WHERE {_OF_ITS_UNIT}) > t.value OR sum(c.value) FILTER (WHERE {_IN_OTHER_SECTORS}) > t.value
    OR count(*) FILTER (WHERE {_PLANNED_IN_ACTUAL}) > 0"""


def _parts_and_totals(db: sqlite3.Connection) -> list[Problem]:
    """Parts that add to more than their total (a warning: the source itself can be wrong); a
    total whose parts in other sectors add to more than it, so that its own sector's row of the
    breakdown would be negative and the sectors would not add up to what it says; and a planned
    figure linked as part of an actual total (a warning: a plan is not money given)."""
    problems = []
    for total_id, value, unit, parts, count, elsewhere, counted, planned in db.execute(_PARTS_AND_TOTALS):
        if not is_number(value):
            continue    # said by the figure check
        if parts is not None and parts > value and not same_value(parts, value):
            problems.append(Problem("parts", "figure", total_id,
                                    f"its {count} parts add to {parts:g} > total {value:g} {unit}: check the parts' "
                                    f"part_of_id, or note why in your curation notes", warning=True))
        if elsewhere is not None and elsewhere > value and not same_value(elsewhere, value):
            problems.append(Problem("sectors", "figure", total_id,
                                    f"its {counted} parts in other sectors add to {elsewhere:g} > its {value:g} "
                                    f"{unit}, so the sector breakdown does not add up: check the parts' part_of_id "
                                    f"and sectors"))
        problems += [Problem("basis", "figure", int(part_id),
                             f"it is planned but part of figure {total_id}, which is actual: a plan is not money "
                             f"given; set the basis of one of them, or unlink them", warning=True)
                     for part_id in (planned.split(",") if planned else ())]
    return problems


# Words beside a sum of money that make it a rate: «每年落实50万元», «1000元/月», «人均2000元».
_RATE_BEFORE = ("每年", "每月", "每人", "每户", "人均", "户均", "年均", "月均")
_RATE_AFTER = ("/年", "/月", "/人", "/户", "每年", "每月", "每人", "每户")


def _rates_as_money(db: sqlite3.Connection) -> list[Problem]:
    """Money counted in sums whose quote reads as a rate: it would be added to money given."""
    # Every rate word holds 每, 均 or /: only quotes holding one of them are read here.
    rows = db.execute("""
        SELECT f.id, f.wording, f.evidence FROM figure f JOIN measure m ON m.code = f.measure
        WHERE f.unit = 'CNY' AND m.additive = 1 AND f.counts_in_sums = 1 AND f.wording IS NOT NULL
          AND (instr(f.evidence, '每') OR instr(f.evidence, '均') OR instr(f.evidence, '/')) ORDER BY f.id""").fetchall()
    problems = []
    for figure_id, wording, evidence in rows:
        at = evidence.find(wording.strip())
        if at < 0:
            continue    # the evidence check reports it
        before, after = evidence[max(0, at - 6):at], evidence[at + len(wording.strip()):][:3]
        if any(word in before for word in _RATE_BEFORE) or any(after.startswith(word) for word in _RATE_AFTER):
            problems.append(Problem("rate", "figure", figure_id,
                                    f"«{evidence}» reads as a rate, but it is summed as money: give it a rate "
                                    f"unit (CNY/year, CNY/person/month, …) so that it is never added to money",
                                    warning=True))
    return problems


def _rollups(db: sqlite3.Connection) -> list[Problem]:
    try:
        waiting = db.execute("SELECT (SELECT count(*) FROM rollup_stale) + (SELECT count(*) FROM rollup_figure_was) "
                             "+ (SELECT count(*) FROM rollup_project_was)").fetchone()[0]
    except sqlite3.OperationalError:
        return [Problem("rollups", None, None, "it has no roll-up tables (built by an older Duikou): open it "
                                               "once with write access (`duikou search x --db FILE`) to add them")]
    if not waiting:
        return []
    return [Problem("rollups", None, None,
                    f"{waiting} changed figure(s), project(s), pairing(s) or place(s) wait to be summed again: open the database once "
                    f"with write access (`duikou --db FILE`, or a command that shows sums: `duikou show`, `duikou export`); "
                    f"until then the app sums them as it opens", warning=True)]   # as `duikou search` leaves them


def _index(db: sqlite3.Connection) -> list[Problem]:
    problems = []
    waiting = db.execute("SELECT count(*) FROM search_stale").fetchone()[0]
    if waiting:
        problems.append(Problem("index", None, None,
                                f"{waiting} changed row(s) wait to be indexed for search: open the database "
                                f"once with write access (`duikou search x --db FILE`) to index them"))
    entries = db.execute("SELECT coalesce(max(rowid), 0) FROM search_index").fetchone()[0]
    index = "search_index" if entries <= _INDEX_READ_WHOLE else "search_key"
    for kind in SEARCH_KINDS:
        for sql, message in _INDEX_CHECKS:
            rows = db.execute(sql.format(index=index, table=kind.table, column=kind.key), (kind.name, kind.name))
            problems += [Problem("index", kind.table, ref, message) for (ref,) in rows]
    return problems


def _dictionary(db: sqlite3.Connection) -> list[Problem]:
    """The file's copy of pypinyin's dictionary against pypinyin's own."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_dictionary'").fetchone() is None:
        return []           # an older Duikou's file: its next catch-up makes the table and fills it
    kept = set(db.execute("SELECT text, starts, word, syllables, initials FROM search_dictionary"))
    if not kept:
        return []           # made, not yet filled: the same
    differing = {text for text, *_ in kept ^ _pinyins_dictionary()}
    if not differing:
        return []
    return [Problem("dictionary", "search_dictionary", None,
                    f"the file's copy of pypinyin's dictionary differs from pypinyin's in {len(differing)} "
                    f"entr{'y' if len(differing) == 1 else 'ies'} (the first: {min(differing)}): names added from "
                    f"now on are read in pinyin otherwise than a fresh build reads them; `DELETE FROM "
                    f"search_dictionary` in sqlite3 has the next indexing that loads pypinyin copy it anew")]


@cache
def _pinyins_dictionary() -> frozenset[tuple]:
    """pypinyin's dictionary as the file keeps it, made once a process (pypinyin loads in 0.2 s,
    the entries take 0.3 s more)."""
    return frozenset((text, int(starts), int(word), syllables, initials)
                     for text, starts, word, syllables, initials in dictionary_entries())


def _triggers(db: sqlite3.Connection) -> list[Problem]:
    return [Problem("trigger", None, None, f"trigger {name} is missing: changes to {table} made without it are not "
                                           f"queued, so search and sums may miss them; open the file once with write "
                                           f"access to restore it, then reload what was changed meanwhile")
            for name, table in missing_triggers(db)] + \
        [Problem("trigger", None, None, f"trigger {name} is not the one this Duikou makes (an older Duikou's, or "
                                        f"changed by hand), so it may queue changes wrongly or refuse them: open the "
                                        f"file once with write access to replace it")
         for name in outdated_triggers(db)]


# Figures whose part_of_id leads back to themselves, followed up to a chain of 64. Only a figure that
# is both a part and a total can be in a cycle: the walk starts from those alone.
_CYCLES = """
    WITH RECURSIVE up(start, at, depth) AS (
        SELECT id, part_of_id, 1 FROM figure
        WHERE part_of_id IS NOT NULL AND id IN (SELECT part_of_id FROM figure WHERE part_of_id IS NOT NULL)
        UNION ALL
        SELECT up.start, f.part_of_id, up.depth + 1 FROM up JOIN figure f ON f.id = up.at
        WHERE up.at <> up.start AND f.part_of_id IS NOT NULL AND up.depth < 64)
    SELECT DISTINCT start FROM up WHERE at = start ORDER BY start"""


def _cycles(db: sqlite3.Connection) -> list[Problem]:
    return [Problem("cycle", "figure", figure_id,
                    "its part_of_id leads back to itself (a total that is a part of its own part): sums add each "
                    "figure of the cycle once, as if the lowest id were the total; set the part_of_id that is wrong")
            for (figure_id,) in db.execute(_CYCLES)]


# A file holding more figures than this has a sample of its homes recomputed, not every one.
_RECOMPUTED_ALL = 200_000
_SAMPLE_HOMES = 12
_SAMPLED_HOME_FIGURES = 2_000       # a sampled home is one this small, so that the check stays quick
_EVERY_HOME = """SELECT kind, ref FROM rollup_home UNION SELECT kind, ref FROM total_home
                 UNION SELECT kind, ref FROM figure_summed WHERE kind IS NOT NULL"""
# The same homes whichever day the check runs: a multiplicative hash of the ref orders them.
_SOME_HOMES = "SELECT kind, ref FROM rollup_home WHERE figures <= ? ORDER BY (ref * 2654435761) % 1000003 LIMIT ?"
_STORED_ROWS = """SELECT kind, ref, sector, year, measure, unit, basis, value, figures, beside, approx, year_from, year_to
                  FROM total_home WHERE kind = ? AND ref = ?"""


def _recomputed_sums(db: sqlite3.Connection) -> list[Problem]:
    """Every home's stored sums (a sample of them at national scale) against its figures summed
    afresh, and every scope's totals (those holding the sampled homes) against its homes' sums."""
    if _rollups(db):
        return []       # missing or waiting: said already
    homes = _checked_homes(db)
    problems = []
    for home in homes:
        expected = rollup.sum_homes(db, rollup.Figures(db), [home])
        wrong = _differing(
            {tuple(row[2:7]): _comparable(row[7:13]) for row in expected.rows},
            {tuple(row[2:7]): _comparable(row[7:]) for row in db.execute(_STORED_ROWS, home)})
        held = db.execute("SELECT figures FROM rollup_home WHERE kind = ? AND ref = ?", home).fetchone()
        if (held[0] if held else 0) != expected.held.get(home, 0):
            wrong.append(f"it holds {expected.held.get(home, 0)} figures, the count says {held[0] if held else 0}")
        if home[0] == "pairing":
            cells = dict(((pairing, sector), count) for pairing, sector, count in db.execute(
                "SELECT pairing_id, sector, projects FROM rollup_cell WHERE pairing_id = ?", (home[1],)))
            if cells != expected.cells:
                wrong.append("its projects by sector are counted wrong")
        if wrong:
            problems.append(Problem("rollups", *home, f"its stored sums differ from its figures summed afresh "
                                                      f"({'; '.join(wrong[:3])}): queue it again with "
                                                      f"INSERT INTO rollup_stale VALUES ('{home[0]}', {home[1]}) and "
                                                      f"open the file once with write access"))
    return problems + _recomputed_scopes(db, homes)


def _checked_homes(db: sqlite3.Connection) -> list[tuple[str, int]]:
    figures = db.execute("SELECT coalesce(sum(figures), 0) FROM rollup_home").fetchone()[0]
    return sorted(db.execute(_EVERY_HOME).fetchall() if figures <= _RECOMPUTED_ALL
                  else db.execute(_SOME_HOMES, (_SAMPLED_HOME_FIGURES, _SAMPLE_HOMES)).fetchall())


_STORED_SCOPE_ROWS = f"""SELECT donor, recipient, sector, year, measure, unit, basis, value, figures, beside, approx,
                                year_from, year_to FROM total WHERE {rollup.SCOPE_WHERE}"""


def _recomputed_scopes(db: sqlite3.Connection, homes: list[tuple[str, int]]) -> list[Problem]:
    """The totals the app and v_total show, of each scope holding one of `homes`, against the sums
    of the scope's homes: a total edited by hand, or left behind by a change no trigger saw."""
    figures, parties, links = rollup.Figures(db), rollup.Parties(db), rollup.home_links(db)
    problems = []
    for scope in sorted({scope for home in homes for scope in parties.scopes_of(home)}, key=str):
        expected = {tuple(row[8:13]): (*_comparable(row[13:19]), *row[6:8])
                    for row in rollup.scope_rows(db, figures, parties, scope, links)}
        stored = {tuple(row[2:7]): (*_comparable(row[7:]), *row[:2]) for row in db.execute(_STORED_SCOPE_ROWS, scope)}
        if wrong := _differing(expected, stored):
            kind, ref = parties.homes(scope)[0]
            named = " → ".join(name for name in parties.names(scope) if name)
            problems.append(Problem("rollups", "total", f"{scope[0]} {named}".strip(),
                                    f"its totals differ from the sums of its {len(parties.homes(scope))} home(s) "
                                    f"({'; '.join(wrong[:3])}): queue one of them again with INSERT INTO rollup_stale "
                                    f"VALUES ('{kind}', {ref}) and open the file once with write access"))
    return problems


def _comparable(row: tuple) -> tuple:
    value, figures, beside, approx, year_from, year_to = row
    return (float(f"{value:.9g}"), figures, float(f"{beside:.9g}"), approx, year_from, year_to)


def _differing(expected: dict, stored: dict) -> list[str]:
    said = []
    for key in sorted(expected.keys() | stored.keys(), key=str):
        if expected.get(key) != stored.get(key):
            sector, year, measure, unit, basis = key
            got, want = stored.get(key), expected.get(key)
            said.append(f"{measure} {unit} {basis} {sector or 'all sectors'} {year or 'all years'}: " + (
                f"stored as of {' → '.join(str(name) for name in got[6:] if name)}, its parties are now "
                f"{' → '.join(str(name) for name in want[6:] if name)}"
                if got and want and got[:6] == want[:6] else
                f"stored {got[0] if got else 'nothing'} from {got[1] if got else 0} figures, summed afresh "
                f"{want[0] if want else 'nothing'} from {want[1] if want else 0}"))
    return said


_CONNECTIONS = 2
# Every check, the longest first (at a million projects: SQLite's integrity check, then the parts
# and their totals, the figures' wording, the search index, the foreign keys, ~1.5–3 s each), so
# that the two connections finish together; findings are listed in this order.
_STEPS = (("integrity", _integrity), ("parts and totals", _parts_and_totals), ("figure", _figures),
          ("search index", _index), ("foreign key", _orphans), ("recomputed sums", _recomputed_sums),
          ("rate", _rates_as_money), ("cycle", _cycles), ("trigger", _triggers), ("roll-up", _rollups),
          ("dictionary", _dictionary))
