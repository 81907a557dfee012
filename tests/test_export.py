"""`duikou export` and the app's export key: what a person finds in the file they get."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from support import copy_database, load_fixture, make_app, settle, walk_to

from tui.cli import main

EDUCATION = "教育/支教/助学 education"


@pytest.fixture
def marked_db(seed_db: Path, tmp_path: Path) -> Path:
    """The seed with markup-laden and hostile rows."""
    database = load_fixture(copy_database(seed_db, tmp_path / "t.db"), "export.sql")
    return load_fixture(database, "hostile.sql")


def export(capsys: pytest.CaptureFixture, database: Path, *args: str) -> str:
    assert main(["--db", str(database), "export", *args]) == 0
    return capsys.readouterr().out


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def sql(database: Path, query: str, *params) -> list[tuple]:
    db = sqlite3.connect(database)
    try:
        return db.execute(query, params).fetchall()
    finally:
        db.close()


def test_csv_has_the_figure_with_its_quote_and_document(capsys, seed_db: Path) -> None:
    rows = read_csv(export(capsys, seed_db, "--format", "csv"))
    (wording, key, title, publisher, published), = sql(seed_db, """
        SELECT f.wording, d.key, d.title, d.publisher, d.published FROM figure f JOIN document d ON d.key = f.document
         WHERE f.value = 10500000 AND f.pairing_id = 1""")
    row = next(row for row in rows if row["recipient"] == "九龙县" and row["value"] == "10500000")
    assert row["donor"] == "青白江区" and row["unit"] == "CNY" and row["wording"] == wording
    assert "1050" in row["evidence"]
    assert (row["document_key"], row["document_title"], row["document_publisher"],
            row["document_published"]) == (key, title, publisher, published)


def test_csv_has_a_row_for_every_figure_and_every_project_without_one(capsys, seed_db: Path) -> None:
    rows = read_csv(export(capsys, seed_db, "--format", "csv"))
    figures = {str(ref) for (ref,) in sql(seed_db, "SELECT id FROM figure")}
    bare = {str(ref) for (ref,) in sql(seed_db, "SELECT id FROM project p WHERE NOT EXISTS "
                                                 "(SELECT 1 FROM figure f WHERE f.project_id = p.id)")}
    assert {row["figure_id"] for row in rows if row["figure_id"]} == figures
    assert {row["project_id"] for row in rows if not row["figure_id"]} == bare
    assert len(rows) == len(figures) + len(bare)


def test_every_further_source_of_a_figure_is_in_its_row(capsys, seed_db: Path) -> None:
    rows = {row["figure_id"]: row for row in read_csv(export(capsys, seed_db))}
    further = sql(seed_db, "SELECT e.figure_id, e.quote, d.title FROM evidence e JOIN document d ON d.key = e.document "
                           "WHERE e.figure_id IS NOT NULL")
    assert further
    for figure_id, quote, title in further:
        assert f"{quote} — {title}" in rows[str(figure_id)]["more_evidence"]
    jsonl = {r["figure_id"]: r for r in map(json.loads, export(capsys, seed_db, "--format", "jsonl").splitlines())}
    for figure_id, quote, title in further:
        assert any({"quote": quote, "title": title}.items() <= source.items()
                   for source in jsonl[figure_id]["more_evidence"])


def test_project_rows_carry_the_project_money_in_yuan(capsys, seed_db: Path) -> None:
    rows = read_csv(export(capsys, seed_db, "--format", "csv"))
    (project_id, amount), = sql(seed_db, "SELECT id, amount_cny FROM v_project WHERE name = '中藏药科研示范基地'")
    row = next(row for row in rows if row["project_id"] == str(project_id))
    assert float(row["project_amount_cny"]) == amount and row["place"].startswith("中国 › ")


def test_jsonl_is_one_object_per_line_with_quotes_and_documents(capsys, seed_db: Path) -> None:
    lines = export(capsys, seed_db, "--format", "jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(read_csv(export(capsys, seed_db, "--format", "csv")))
    record = next(r for r in records if r["recipient"] == "九龙县" and r["value"] == 10500000)
    assert "1050" in record["evidence"] and record["document_title"]


def test_json_nests_pairings_projects_and_figures(capsys, seed_db: Path) -> None:
    document = json.loads(export(capsys, seed_db, "--format", "json", "--node", "青白江区/九龙县"))
    assert document["export"]["node"] == "青白江区/九龙县"
    pairing, = document["pairings"]
    assert (pairing["donor"], pairing["recipient"]) == ("青白江区", "九龙县") and pairing["quotes"]
    budget = next(f for f in pairing["figures"] if f["value"] == 10500000)
    assert "1050" in budget["quotes"][0]["quote"] and budget["quotes"][0]["title"]
    project = next(p for p in pairing["projects"] if p["name"] == "中藏药科研示范基地")
    for figure in project["figures"]:
        for quote in figure["quotes"]:
            assert {"quote", "key", "title", "publisher", "published"} <= set(quote)
    (expected,), = sql(seed_db, """SELECT count(*) FROM project p JOIN pairing pr ON pr.id = p.pairing_id
                                    WHERE coalesce(pr.parent_id, pr.id) = 1""")
    assert len(pairing["projects"]) == expected


def test_node_exports_only_its_subtree(capsys, seed_db: Path) -> None:
    rows = read_csv(export(capsys, seed_db, "--node", "青白江区/九龙县/education"))
    assert rows and {(r["donor"], r["recipient"], r["sector"]) for r in rows} == {("青白江区", "九龙县", "education")}
    expected = {str(ref) for (ref,) in sql(seed_db, """
        SELECT p.id FROM project p JOIN pairing pr ON pr.id = p.pairing_id
         WHERE coalesce(pr.parent_id, pr.id) = 1 AND p.sector = 'education'""")}
    assert {r["project_id"] for r in rows if r["project_id"]} == expected
    # A sector by its name, slash and all, is the same node.
    assert read_csv(export(capsys, seed_db, "--node", "青白江区/九龙县/教育/支教/助学")) == rows


def test_a_bad_node_is_one_line_naming_the_nearest_choices(capsys, seed_db: Path) -> None:
    assert main(["--db", str(seed_db), "export", "--node", "青白江区/九龙"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    error = captured.err.strip()
    assert "\n" not in error and error.startswith("duikou: no recipient “九龙” under 青白江区")
    assert "九龙县" in error.split("nearest:")[1]


def test_output_file_is_never_overwritten_without_force(capsys, seed_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    assert main(["--db", str(seed_db), "export", "--output", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err and target.read_text() == "keep me"
    assert main(["--db", str(seed_db), "export", "--output", str(target), "--force"]) == 0
    assert read_csv(target.read_text(encoding="utf-8"))[0]["donor"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]   # no temporary file left behind


def test_markdown_escapes_markup_from_the_data(capsys, marked_db: Path) -> None:
    report = export(capsys, marked_db, "--format", "markdown", "--node", "青白江区/九龙县/education")
    assert "| Figure | Value |" in report
    row = next(line for line in report.splitlines() if "捐赠" in line and line.startswith("|"))
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 7 and cells[0].strip() == r"捐赠\|物资" and cells[1].strip() == "2500"
    assert r"### 书包\|文具 \*捐赠\* \_项目\_ \[链接\](x) \`代码\` \#" in report
    hostile = export(capsys, marked_db, "--format", "markdown", "--node", "青白江区/九龙县")
    assert "\x1b" not in hostile and r"\[red\]x\[/red\]" in hostile


def test_csv_defuses_spreadsheet_formulas(capsys, marked_db: Path) -> None:
    rows = read_csv(export(capsys, marked_db, "--node", "青白江区/九龙县/education"))
    names = {row["project"] for row in rows}
    assert "'=HYPERLINK(\"http://example.invalid\",\"点击\")" in names


def test_iati_activities(capsys, seed_db: Path) -> None:
    document = json.loads(export(capsys, seed_db, "--format", "iati", "--node", "青白江区/九龙县"))
    activities = document["iati-activities"]["iati-activity"]
    by_id = {activity["iati-identifier"]: activity for activity in activities}
    pairing = by_id["CN-DUIKOU-pairing-1"]
    assert any(i["period"][0].get("actual") == [{"value": 10500000}]
               for r in pairing["result"] for i in r["indicator"])
    project_id, name, status, amount, dac5, year = sql(seed_db, """
        SELECT v.id, v.name, v.status, v.amount_cny, coalesce(p.dac5, s.dac5), v.year FROM v_project v
          JOIN project p ON p.id = v.id JOIN sector s ON s.code = p.sector
         WHERE v.name = '中藏药科研示范基地'""")[0]
    activity = by_id[f"CN-DUIKOU-project-{project_id}"]
    assert activity["title"]["narrative"][0]["text"] == name
    roles = {org["role"]: org["narrative"][0]["text"] for org in activity["participating-org"]}
    (implementer,), = sql(seed_db, "SELECT o.name FROM organisation o JOIN project p ON p.implementer_id = o.id "
                                   "WHERE p.id = ?", project_id)
    assert roles["1"] == "青白江区" and roles["4"] == implementer
    assert {"vocabulary": "1", "code": str(dac5)}.items() <= activity["sector"][0].items()
    assert activity["activity-status"]["code"] == {"planned": "1", "underway": "2", "completed": "3"}[status]
    budget, = activity["budget"]
    assert budget["value"] == {"amount": amount, "currency": "CNY", "value-date": f"{year}-01-01"}
    assert budget["period-start"]["iso-date"].startswith(str(year))
    indicators = [i for r in activity["result"] for i in r["indicator"]]
    assert indicators and all(i["duikou:unit"] and i["title"]["narrative"][0]["text"] for i in indicators)
    link = activity["document-link"][0]
    assert link["title"]["narrative"][0]["text"] and link["duikou:publisher"] and link["duikou:quotes"]
    assert link["document-date"]["iso-date"][:4].isdigit()
    for every in activities:
        assert every["title"]["narrative"][0]["text"] and every["reporting-org"]["ref"] == "CN-DUIKOU"
        assert every["recipient-country"] == [{"code": "CN", "percentage": 100}]
        assert [org["narrative"][0]["text"] for org in every["participating-org"] if org["role"] == "1"] == ["青白江区"]
    assert len(by_id) == len(activities)
    # Every project of the node is an activity, related to its pairing's.
    projects = [a for a in activities if a["hierarchy"] == "2"]
    assert all(a["related-activity"] == [{"type": "1", "ref": "CN-DUIKOU-pairing-1"}] for a in projects)
    assert len(projects) == sql(seed_db, """SELECT count(*) FROM project p JOIN pairing pr ON pr.id = p.pairing_id
                                            WHERE coalesce(pr.parent_id, pr.id) = 1""")[0][0]


async def test_e_in_the_app_exports_the_node_to_a_file(browser_db: Path, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    monkeypatch.chdir(folder)
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", EDUCATION)
        shown = {active.binding.description for key, active in pilot.app.screen.active_bindings.items()
                 if key == "e" and active.binding.show}
        assert shown == {"Export"}                   # in the footer and the help
        notified = []
        pilot.app.notify = lambda message, **options: notified.append(message)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("e")       # a second export at once gets a name of its own
        await settle(pilot)
    files = sorted(folder.iterdir())
    assert len(files) == 2 and all(f.name.startswith("duikou-青白江区-九龙县-") and f.suffix == ".md" for f in files)
    assert sorted(notified) == [f"Exported to {f}" for f in files]
    report = files[0].read_text(encoding="utf-8")
    assert report.startswith(f"# Duikou export: 青白江区/九龙县/{EDUCATION}".replace("_", r"\_"))
    assert "## 青白江区 → 九龙县" in report and "| Figure |" in report
    assert "郎呷村跑山鸡养殖项目" not in report         # an agriculture project: not in this node


def test_jsonl_keeps_hostile_text_exact_but_inert(capsys, marked_db: Path) -> None:
    text = export(capsys, marked_db, "--format", "jsonl", "--node", "青白江区/九龙县/agriculture")
    assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
    (name,), = sql(marked_db, "SELECT name FROM project WHERE id = 950003")
    assert name in {json.loads(line)["project"] for line in text.splitlines()}
