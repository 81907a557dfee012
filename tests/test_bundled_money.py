"""Every pairing's money in the bundled data is what its documents support: the arithmetic written
by hand in db/CURATION.md ("Money by pairing, by hand") is what v_total gives."""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tui.data import Atlas, open_database

CURATION = Path(__file__).resolve().parents[1] / "db" / "CURATION.md"
_KIND = r"(?P<basis>actual|planned) (?P<measure>\w+) (?P<unit>[\w/]+)"
_PAIRING = re.compile(rf"^- (?P<donor>\S+) → (?P<recipient>\S+), {_KIND}: .*= (?P<value>\d+)(?:; beside (?P<beside>\d+))?")
_BY_SECTOR = re.compile(rf"^  - by sector \({_KIND}\): (?P<terms>.*) = (?P<value>\d+)$")
_DONOR = re.compile(rf"^- (?P<donor>\S+) \(donor\), {_KIND}: .*?= (?P<value>\d+)(?:; beside (?P<beside>\d+))?")


def _by_hand() -> tuple[list[dict], list[dict], list[dict]]:
    text = CURATION.read_text(encoding="utf-8")
    section = text.split("### Money by pairing, by hand", 1)[1]
    pairings, sectors, donors = [], [], []
    for line in section.splitlines():
        if match := _PAIRING.match(line):
            pairings.append(match.groupdict())
        elif (match := _BY_SECTOR.match(line)) and pairings:
            terms = dict((name, int(value)) for name, value in re.findall(r"(\w+) (\d+)", match["terms"]))
            sectors.append({**pairings[-1], **match.groupdict(), "terms": terms})
        elif match := _DONOR.match(line):
            donors.append(match.groupdict())
    return pairings, sectors, donors


PAIRINGS, SECTORS, DONORS = _by_hand()


def test_the_curation_notes_give_every_pairings_money():
    assert len(PAIRINGS) >= 15 and len(SECTORS) >= 10 and len(DONORS) >= 3
    assert all(sum(row["terms"].values()) == int(row["value"]) for row in SECTORS), "a by-hand split must add up"


def _total(database: Path, scope: str, row: dict, sector: str | None = None):
    with closing(sqlite3.connect(database)) as db:
        return db.execute(
            """SELECT value, beside FROM v_total
               WHERE scope = ? AND donor = ? AND (recipient = ? OR (? IS NULL AND recipient IS NULL))
                 AND sector IS ? AND year IS NULL AND measure = ? AND unit = ? AND basis = ?""",
            (scope, row["donor"], row.get("recipient"), row.get("recipient"), sector,
             row["measure"], row["unit"], row["basis"])).fetchone()


@pytest.mark.parametrize("row", PAIRINGS, ids=lambda row: f"{row['donor']}→{row['recipient']} {row['basis']} "
                                                           f"{row['measure']} {row['unit']}")
def test_a_pairings_money_is_what_its_documents_support(seed_db, row):
    found = _total(seed_db, "pairing", row)
    if row["unit"] == "item" or "/" in row["unit"]:     # a rate, or things counted as items: never summed
        assert found is None
        return
    assert found is not None
    assert found[0] == pytest.approx(int(row["value"]))
    assert (found[1] or 0) == pytest.approx(int(row["beside"] or 0))


@pytest.mark.parametrize("row", SECTORS, ids=lambda row: f"{row['donor']}→{row['recipient']} {row['basis']} "
                                                          f"{row['measure']} by sector")
def test_a_pairings_sector_rows_add_up_to_its_total(seed_db, row):
    for sector, value in row["terms"].items():
        found = _total(seed_db, "pairing", row, sector)
        assert found is not None and found[0] == pytest.approx(value), sector


@pytest.mark.parametrize("row", DONORS, ids=lambda row: f"{row['donor']} {row['basis']} {row['measure']}")
def test_a_donors_money_is_what_its_documents_support(seed_db, row):
    found = _total(seed_db, "donor", {**row, "recipient": None})
    assert found is not None and found[0] == pytest.approx(int(row["value"]))
    assert (found[1] or 0) == pytest.approx(int(row["beside"] or 0))


def test_the_pairings_table_shows_the_money_v_total_gives(seed_db):
    for row in Atlas(open_database(seed_db)).pairings():
        for total in row.money:
            found = _total(seed_db, "pairing", {"donor": row.donor, "recipient": row.recipient,
                                                "measure": total.measure, "unit": total.unit, "basis": total.basis})
            assert found is not None and found[0] == pytest.approx(total.value), (row.donor, row.recipient)
