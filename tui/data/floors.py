"""What `duikou bench` measures against: the busiest parts of a database, and floors.

A floor is the plainest SQL that answers nearly the same question with the best index for it
(no roll-up, no ranking, no description), so the time of Atlas or search divided by its floor's
shows what our own work adds.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Donor:
    place_id: int
    org_id: int | None
    name: str
    projects: int


@dataclass(frozen=True)
class BusiestNode:
    """The pairing and sector holding the most projects, and the root pairing it sits under."""
    pairing_id: int
    root_pairing_id: int
    sector: str
    recipient: str
    projects: int


# -- the busiest parts ----------------------------------------------------------------------------

def largest_donor(db: sqlite3.Connection) -> Donor | None:
    """The donor with the most projects (under its own pairings and their sub-pairings)."""
    row = db.execute("""
        WITH per_pairing AS (SELECT pairing_id, count(*) AS projects FROM project GROUP BY pairing_id)
        SELECT r.donor_place_id, r.donor_org_id, n.donor, sum(pp.projects) AS projects
          FROM per_pairing pp
          JOIN pairing s ON s.id = pp.pairing_id
          JOIN pairing r ON r.id = coalesce(s.parent_id, s.id)
          JOIN pairing_names n ON n.id = r.id
         GROUP BY 1, 2 ORDER BY projects DESC, 3 LIMIT 1""").fetchone()
    return None if row is None else Donor(*row)


def busiest_node(db: sqlite3.Connection) -> BusiestNode | None:
    row = db.execute("""
        SELECT p.pairing_id, coalesce(s.parent_id, s.id), p.sector, n.recipient, count(*) AS projects
          FROM project p JOIN pairing s ON s.id = p.pairing_id JOIN pairing_names n ON n.id = s.id
         GROUP BY p.pairing_id, p.sector ORDER BY projects DESC, p.pairing_id LIMIT 1""").fetchone()
    return None if row is None else BusiestNode(*row)


def project_names_in(db: sqlite3.Connection, pairing_id: int, sector: str, limit: int) -> list[str]:
    return [name for (name,) in db.execute(
        "SELECT name FROM project WHERE pairing_id = ? AND sector = ? ORDER BY id LIMIT ?", (pairing_id, sector, limit))]


def english_place_name(db: sqlite3.Connection, place_name: str) -> str | None:
    """The English name of the place called `place_name`, else of the deepest place that has one."""
    row = db.execute("""
        SELECT name_en FROM place WHERE name_en IS NOT NULL AND name_en <> ''
         ORDER BY name = ? DESC, parent_id IS NULL, id DESC LIMIT 1""", (place_name,)).fetchone()
    return None if row is None else row[0]


def largest_money_figure(db: sqlite3.Connection) -> float | None:
    row = db.execute("SELECT max(value) FROM figure WHERE measure = 'aid_funds' AND unit = 'CNY'").fetchone()
    return row[0]


# -- floors ---------------------------------------------------------------------------------------

def search_floor(db: sqlite3.Connection, expression: str, limit: int) -> list[int]:
    """The index rows an FTS5 expression matches, and nothing more."""
    return [rowid for (rowid,) in db.execute("SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?",
                                             (expression, limit))]


def root_floor(db: sqlite3.Connection, limit: int) -> list[tuple]:
    """The first page of donors, named, without their sums."""
    return db.execute("""
        SELECT r.donor_place_id, r.donor_org_id, min(n.donor) AS donor
          FROM pairing r JOIN pairing_names n ON n.id = r.id WHERE r.parent_id IS NULL
         GROUP BY 1, 2 ORDER BY donor LIMIT ?""", (limit,)).fetchall()


def recipients_floor(db: sqlite3.Connection, donor: Donor, limit: int) -> list[tuple]:
    """The first page of a donor's recipients, named, without their sums."""
    return db.execute("""
        SELECT r.recipient_place_id, r.recipient_org_id, min(n.recipient) AS recipient
          FROM pairing r JOIN pairing_names n ON n.id = r.id
         WHERE r.parent_id IS NULL AND r.donor_place_id = ? AND r.donor_org_id IS ?
         GROUP BY 1, 2 ORDER BY recipient LIMIT ?""", (donor.place_id, donor.org_id, limit)).fetchall()


def projects_floor(db: sqlite3.Connection, node: BusiestNode, limit: int) -> list[tuple]:
    """The first page of one pairing's projects in one sector, read straight off its index."""
    return db.execute("SELECT id, name FROM project WHERE pairing_id = ? AND sector = ? ORDER BY name LIMIT ?",
                      (node.pairing_id, node.sector, limit)).fetchall()


def donor_sums_floor(db: sqlite3.Connection, donor: Donor) -> list[tuple]:
    """Every additive measure of a donor summed plainly, parts and totals alike."""
    return db.execute("""
        WITH pairings AS (
            SELECT s.id FROM pairing r JOIN pairing s ON s.id = r.id OR s.parent_id = r.id
             WHERE r.parent_id IS NULL AND r.donor_place_id = ? AND r.donor_org_id IS ?),
        figures AS (
            SELECT f.measure, f.unit, f.value FROM figure f
             WHERE f.project_id IN (SELECT id FROM project WHERE pairing_id IN pairings)
            UNION ALL
            SELECT f.measure, f.unit, f.value FROM figure f WHERE f.pairing_id IN pairings)
        SELECT measure, unit, sum(value) FROM figures JOIN measure m ON m.code = measure
         WHERE m.additive = 1 GROUP BY 1, 2""", (donor.place_id, donor.org_id)).fetchall()
