"""`duikou export --format iati`: IATI 2.03 activity XML that the standard's own schema accepts,
and that says what the documents say: money given as transactions, planned money as budgets,
every other figure a result, the sources as document links with their quotes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from support import copy_database, load_fixture, sql

from tui.cli import main
from tui.data.synth import synthesise

STANDARD = Path(__file__).resolve().parents[1].parent / "shared" / "standards" / "iati-2.03"
XSD = STANDARD / "iati-activities-schema.xsd"
NS = {"duikou": "urn:x-duikou:iati"}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="session")
def schema() -> etree.XMLSchema:
    if not XSD.exists():
        pytest.skip(f"the IATI 2.03 schema is not beside the repository (looked for {XSD})")
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture(scope="session")
def synthetic_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesise(tmp_path_factory.mktemp("synth10k") / "synth.db", 10_000, 3)


@pytest.fixture
def marked_db(seed_db: Path, tmp_path: Path) -> Path:
    """The seed with export.sql's money of every kind and hostile.sql's terminal-hijacking text."""
    return load_fixture(load_fixture(copy_database(seed_db, tmp_path / "t.db"), "export.sql"), "hostile.sql")


def iati(database: Path, tmp_path: Path, *node: str) -> Path:
    target = tmp_path / "activities.xml"
    assert main(["--db", str(database), "export", "--format", "iati", *node, "--output", str(target), "--force"]) == 0
    return target


def valid(schema: etree.XMLSchema, path: Path) -> etree._Element:
    document = etree.parse(str(path))
    assert schema.validate(document), "\n".join(str(error) for error in list(schema.error_log)[:5])
    return document.getroot()


def by_id(root: etree._Element) -> dict[str, etree._Element]:
    return {activity.findtext("iati-identifier"): activity for activity in root.iter("iati-activity")}


def root_projects(database: Path, pairing_id: int) -> int:
    return sql(database, """SELECT count(*) FROM project p JOIN pairing pr ON pr.id = p.pairing_id
                             WHERE coalesce(pr.parent_id, pr.id) = ?""", pairing_id)[0][0]


def test_the_whole_data_set_validates_an_activity_per_pairing_and_project(schema, seed_db, tmp_path) -> None:
    root = valid(schema, iati(seed_db, tmp_path))
    activities = by_id(root)
    (pairings,), = sql(seed_db, "SELECT count(*) FROM pairing WHERE parent_id IS NULL")
    (projects,), = sql(seed_db, "SELECT count(*) FROM project")
    assert len(activities) == len(root) == pairings + projects
    assert root.get("version") == "2.03"
    assert all(activity.get(LANG) == "zh" and activity.get("default-currency") == "CNY" for activity in root)


def test_a_pairing_node_validates_and_holds_the_pairing_and_its_projects(schema, seed_db, tmp_path) -> None:
    activities = by_id(valid(schema, iati(seed_db, tmp_path, "--node", "青白江区/九龙县")))
    pairing = activities.pop("CN-DUIKOU-pairing-1")
    assert pairing.get("hierarchy") == "1" and len(activities) == root_projects(seed_db, 1)
    assert all(a.get("hierarchy") == "2" and a.find("related-activity").attrib == {"type": "1", "ref":
               "CN-DUIKOU-pairing-1"} for a in activities.values())
    roles = [(org.get("role"), org.findtext("narrative")) for org in pairing.iter("participating-org")]
    assert roles == [("1", "青白江区"), ("3", "青白江区"), ("2", "九龙县")]
    (given,), = sql(seed_db, """SELECT count(*) FROM figure WHERE pairing_id = 1 AND unit = 'CNY'
                                 AND measure IN ('aid_funds', 'donation') AND part_of_id IS NULL AND counts_in_sums = 1
                                 AND coalesce(basis, CASE WHEN qualifier = 'planned' THEN 'planned' ELSE 'actual' END)
                                     = 'actual' AND (year IS NOT NULL OR document IS NOT NULL)""")
    transactions = pairing.findall("transaction")
    assert len(transactions) == given
    for transaction in transactions:
        assert transaction.find("transaction-type").get("code") == "3"
        assert transaction.find("provider-org/narrative").text == "青白江区"
        assert transaction.find("value").get("currency") == "CNY"


def test_a_project_validates_with_its_sector_status_organisations_and_sources(schema, seed_db, tmp_path) -> None:
    (ref, name, status, dac5, implementer, year), = sql(seed_db, """
        SELECT p.id, p.name, p.status, coalesce(p.dac5, s.dac5), o.name, p.year FROM project p
          JOIN sector s ON s.code = p.sector LEFT JOIN organisation o ON o.id = p.implementer_id
         WHERE p.name = '中藏药科研示范基地'""")
    activities = by_id(valid(schema, iati(seed_db, tmp_path, "--node", f"#{ref}")))
    activity = activities[f"CN-DUIKOU-project-{ref}"]
    assert activity.findtext("title/narrative") == name
    assert activity.find("activity-status").get("code") == {"planned": "1", "underway": "2", "completed": "3"}[status]
    start = activity.find("activity-date")
    assert start.get("type") == ("1" if status == "planned" else "2") and start.get("iso-date") == f"{year}-01-01"
    sector = dict(activity.find("sector").attrib)
    assert {"vocabulary": "1", "code": str(dac5), "percentage": "100"}.items() <= sector.items()
    assert ("4", implementer) in {(o.get("role"), o.findtext("narrative")) for o in activity.iter("participating-org")}
    (quote, title), = sql(seed_db, "SELECT p.evidence, d.title FROM project p JOIN document d ON d.key = p.document "
                                   "WHERE p.id = ?", ref)
    links = {link.findtext("title/narrative"): link for link in activity.iter("document-link")}
    assert f"“{quote}”" in links[title].findtext("description/narrative").splitlines()
    assert links[title].find("category").get("code") and links[title].get("url").startswith("urn:")


def test_money_given_is_a_transaction_planned_a_budget_and_the_rest_results(schema, marked_db, tmp_path) -> None:
    activity = by_id(valid(schema, iati(marked_db, tmp_path, "--node", "#960007")))["CN-DUIKOU-project-960007"]

    def figure_ids(path: str) -> set[str]:
        return {f.get("id") for f in activity.iterfind(f"{path}/duikou:figure", NS)}

    # Given: dated by its last year, or with no year by the document that reports it.
    assert figure_ids("transaction") == {"960020", "960028"}
    dates = {t.find("duikou:figure", NS).get("id"): t.find("transaction-date").get("iso-date")
             for t in activity.iter("transaction")}
    assert dates == {"960020": "2020-12-31", "960028": "2018-05-09"}
    # Planned, by qualifier or by basis: an indicative budget over its years.
    assert figure_ids("budget") == {"960021", "960022"}
    budget = next(b for b in activity.iter("budget") if b.find("duikou:figure", NS).get("id") == "960022")
    assert (budget.get("status"), budget.find("period-start").get("iso-date"),
            budget.find("period-end").get("iso-date"), budget.findtext("value")) == ("1", "2021-01-01",
                                                                                     "2022-12-31", "1000000")
    # A part of another, one outside sums, rates (not money given), and counts: result indicators.
    indicators = {i.find("duikou:figure", NS).get("id"): i for i in activity.iter("indicator")}
    assert set(indicators) == {"960023", "960024", "960025", "960026", "960027"}
    assert indicators["960025"].find("duikou:figure", NS).get("unit") == "CNY/month"
    assert indicators["960027"].find("period") is None                # no year: no made-up period …
    assert indicators["960027"].findtext("description/narrative") == "120人 = 120 person"   # … its value said
    assert indicators["960023"].find("period/actual").get("value") == "1000000"
    # No year and no status: under way, its start dated by the document that reports it, saying so.
    assert activity.find("activity-status").get("code") == "2"
    start, = activity.iter("activity-date")
    assert start.get("iso-date") == "2018-05-09" and "earliest document" in start.findtext("narrative")


def test_hostile_text_is_inert_and_still_valid(schema, marked_db, tmp_path) -> None:
    path = iati(marked_db, tmp_path, "--node", "青白江区/九龙县")
    text = path.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
    activities = by_id(valid(schema, path))
    assert activities["CN-DUIKOU-project-950001"].findtext("title/narrative").startswith("[red]x[/red]")


def test_ten_thousand_synthetic_projects_validate(schema, synthetic_10k, tmp_path) -> None:
    root = valid(schema, iati(synthetic_10k, tmp_path))
    (pairings,), = sql(synthetic_10k, "SELECT count(*) FROM pairing WHERE parent_id IS NULL")
    (projects,), = sql(synthetic_10k, "SELECT count(*) FROM project")
    assert projects > 10_000 and len(root) == pairings + projects


def test_iati_json_is_the_same_activities_element_for_element(capsys, seed_db, tmp_path) -> None:
    xml = by_id(etree.parse(str(iati(seed_db, tmp_path, "--node", "青白江区/九龙县"))).getroot())
    assert main(["--db", str(seed_db), "export", "--format", "iati-json", "--node", "青白江区/九龙县"]) == 0
    activities = json.loads(capsys.readouterr().out)["iati-activities"]["iati-activity"]
    assert [a["iati-identifier"][0]["text"] for a in activities] == list(xml)
    pairing = activities[0]
    assert pairing["xml:lang"] == "zh"
    assert pairing["title"][0]["narrative"][0]["text"] == "青白江区 → 九龙县 省内对口帮扶"
    assert len(pairing.get("transaction", [])) == len(xml["CN-DUIKOU-pairing-1"].findall("transaction"))
