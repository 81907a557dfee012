"""`duikou check`: what is wrong with a database, one finding per row, without changing it.

Every finding is a Problem: the kind of check that found it, the table and row it is about (both
None for the file as a whole) and a sentence. Problems make `duikou check` exit 1; warnings are
findings a curator has to look at but that may be right (parts that add up to more than their
total: the source itself can be wrong, as db/CURATION.md explains for figure 10440; a plan linked
inside money given; money whose quote reads as a rate).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tui.data import rollup
from tui.data.connection import NOT_A_NUMBER, connect
from tui.data.derived import missing_triggers
from tui.data.errors import DuikouError
from tui.data.kinds import SEARCH_KINDS
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
                           # index, rollups, open
    table: str | None      # None: the file as a whole
    row: object | None     # the row's id (or key)
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.table} {self.row}" if self.table is not None else "database"
        return f"{'warning: ' if self.warning else ''}{where}: {self.message}"


def check(path: Path, *, integrity: bool = True) -> list[Problem]:
    """Every problem found in the database at `path`; a file that cannot be opened is one problem.
    Without `integrity`, SQLite's own check of every page, index and CHECK rule is left out."""
    try:
        db = connect(path)
    except DuikouError as error:
        return [Problem("open", None, None, str(error))]
    try:
        return check_connection(db, integrity=integrity)
    finally:
        db.close()


def check_connection(db: sqlite3.Connection, *, integrity: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    steps = (("integrity", _integrity),) if integrity else ()
    for name, step in (*steps, ("foreign key", _orphans), ("figure", _figures), ("cycle", _cycles),
                       ("totals", _parts), ("sector breakdown", _sector_breakdowns), ("basis", _plans_in_actual_sums),
                       ("rate", _rates_as_money), ("trigger", _triggers), ("search index", _index),
                       ("roll-up", _rollups), ("recomputed sums", _recomputed_sums)):
        try:
            problems += step(db)
        except sqlite3.DatabaseError as error:
            problems.append(Problem(name, None, None, f"the {name} check could not run: {error}"))
    return problems


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
    rows = db.execute("SELECT id, value, unit, qualifier, wording, evidence FROM figure "
                      "WHERE wording IS NOT NULL ORDER BY id")
    problems += [Problem("figure", "figure", figure_id, f"its value {str(value)[:40]!r} is not a number: "
                                                        f"set it with `duikou load` (UPDATE figure SET value = …)")
                 for figure_id, value in db.execute(f"SELECT id, value FROM figure WHERE {NOT_A_NUMBER} ORDER BY id")]
    for figure_id, value, unit, qualifier, wording, evidence in rows:
        if evidence is not None and not _quoted(wording, evidence):
            problems.append(Problem("evidence", "figure", figure_id,
                                    f"its evidence «{evidence}» does not contain its wording «{wording}»"))
        read = first_number(wording)
        if read is None:
            problems.append(Problem("wording", "figure", figure_id, f"its wording «{wording}» holds no number"))
        elif is_number(value) and not same_value(read, value):
            problems.append(Problem("wording", "figure", figure_id,
                                    f"its wording «{wording}» reads as {read:g}, but its value is {value:g} {unit}"))
    return problems


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


def _parts(db: sqlite3.Connection) -> list[Problem]:
    rows = db.execute("""
        SELECT t.id, t.value, t.unit, sum(p.value), count(p.id)
        FROM figure t JOIN figure p ON p.part_of_id = t.id AND p.unit = t.unit
        WHERE typeof(t.value) IN ('integer', 'real') AND typeof(p.value) IN ('integer', 'real')
        GROUP BY t.id HAVING sum(p.value) > t.value ORDER BY t.id""").fetchall()
    return [Problem("parts", "figure", total_id,
                    f"its {count} parts add to {parts:g} > total {value:g} {unit}: check the parts' "
                    f"part_of_id, or note why in your curation notes", warning=True)
            for total_id, value, unit, parts, count in rows
            if parts > value and not same_value(parts, value)]


# Each figure as sums see it: its sector (money given to no named sector is 'overall') and basis.
_AS_SUMMED = """
    WITH summed AS (
        SELECT f.id, f.part_of_id, f.measure, f.unit, f.value, f.wording, f.evidence, f.counts_in_sums,
               coalesce(f.sector, p.sector, 'overall') AS sector,
               coalesce(f.basis, CASE WHEN f.qualifier = 'planned' THEN 'planned' ELSE 'actual' END) AS basis
        FROM figure f LEFT JOIN project p ON p.id = f.project_id)"""


def _sector_breakdowns(db: sqlite3.Connection) -> list[Problem]:
    """A total whose parts in other sectors add to more than it: its own sector's row of the
    breakdown would be negative, and the sectors would not add up to what it says."""
    rows = db.execute(_AS_SUMMED + """
        SELECT t.id, t.value, t.unit, t.sector, sum(c.value), count(*)
        FROM summed t JOIN summed c ON c.part_of_id = t.id AND c.measure = t.measure AND c.unit = t.unit
                                   AND c.basis = t.basis AND c.sector <> t.sector AND c.counts_in_sums = 1
        WHERE t.counts_in_sums = 1
        GROUP BY t.id HAVING sum(c.value) > t.value ORDER BY t.id""").fetchall()
    return [Problem("sectors", "figure", total_id,
                    f"its {count} parts in other sectors add to {parts:g} > its {value:g} {unit}, so the sector "
                    f"breakdown does not add up: check the parts' part_of_id and sectors")
            for total_id, value, unit, sector, parts, count in rows if not same_value(parts, value)]


def _plans_in_actual_sums(db: sqlite3.Connection) -> list[Problem]:
    """A planned figure linked as part of an actual total: a plan is not money given, so either the
    total is a plan too, or the part is not its part."""
    rows = db.execute(_AS_SUMMED + """
        SELECT c.id, t.id FROM summed c JOIN summed t ON t.id = c.part_of_id AND t.measure = c.measure
                                                     AND t.unit = c.unit
        WHERE c.basis = 'planned' AND t.basis = 'actual' ORDER BY c.id""").fetchall()
    return [Problem("basis", "figure", part_id,
                    f"it is planned but part of figure {total_id}, which is actual: a plan is not money given; "
                    f"set the basis of one of them, or unlink them", warning=True)
            for part_id, total_id in rows]


# Words beside a sum of money that make it a rate: «每年落实50万元», «1000元/月», «人均2000元».
_RATE_BEFORE = ("每年", "每月", "每人", "每户", "人均", "户均", "年均", "月均")
_RATE_AFTER = ("/年", "/月", "/人", "/户", "每年", "每月", "每人", "每户")


def _rates_as_money(db: sqlite3.Connection) -> list[Problem]:
    """Money counted in sums whose quote reads as a rate: it would be added to money given."""
    rows = db.execute(_AS_SUMMED + """
        SELECT s.id, s.wording, s.evidence FROM summed s JOIN measure m ON m.code = s.measure
        WHERE s.unit = 'CNY' AND m.additive = 1 AND s.counts_in_sums = 1 AND s.wording IS NOT NULL
          AND s.evidence IS NOT NULL ORDER BY s.id""").fetchall()
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
                    f"with write access (`duikou search x --db FILE`); until then the app sums them as it opens")]


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


def _triggers(db: sqlite3.Connection) -> list[Problem]:
    return [Problem("trigger", None, None, f"trigger {name} is missing: changes to {table} made without it are not "
                                           f"queued, so search and sums may miss them; open the file once with write "
                                           f"access to restore it, then reload what was changed meanwhile")
            for name, table in missing_triggers(db)]


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
    """Every home's stored sums (a sample of them at national scale) against its figures summed afresh."""
    if _rollups(db):
        return []       # missing or waiting: said already
    figures = db.execute("SELECT coalesce(sum(figures), 0) FROM rollup_home").fetchone()[0]
    homes = sorted(db.execute(_EVERY_HOME).fetchall() if figures <= _RECOMPUTED_ALL
                   else db.execute(_SOME_HOMES, (_SAMPLED_HOME_FIGURES, _SAMPLE_HOMES)).fetchall())
    problems = []
    for home in homes:
        expected = rollup.sum_homes(db, rollup.Figures(db), [home])
        wrong = _differing(
            {tuple(row[:7]): _comparable(row[7:13]) for row in expected.rows},
            {tuple(row[:7]): _comparable(row[7:]) for row in db.execute(_STORED_ROWS, home)})
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
    return problems


def _comparable(row: tuple) -> tuple:
    value, figures, beside, approx, year_from, year_to = row
    return (float(f"{value:.9g}"), figures, float(f"{beside:.9g}"), approx, year_from, year_to)


def _differing(expected: dict, stored: dict) -> list[str]:
    said = []
    for key in sorted(expected.keys() | stored.keys(), key=str):
        if expected.get(key) != stored.get(key):
            _, _, sector, year, measure, unit, basis = key
            got, want = stored.get(key), expected.get(key)
            said.append(f"{measure} {unit} {basis} {sector or 'all sectors'} {year or 'all years'}: stored "
                        f"{got[0] if got else 'nothing'} from {got[1] if got else 0} figures, its figures give "
                        f"{want[0] if want else 'nothing'} from {want[1] if want else 0}")
    return said
