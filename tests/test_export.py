"""`duikou export` and the app's export key: what a person finds in the file they get."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from markdown_it import MarkdownIt
from support import copy_database, load_fixture, make_app, settle, sql, walk_to

from tui.cli import main

EDUCATION = "Education"


@pytest.fixture
def marked_db(seed_db: Path, tmp_path: Path) -> Path:
    """The seed with markup-laden and hostile rows."""
    database = load_fixture(copy_database(seed_db, tmp_path / "t.db"), "export.sql")
    return load_fixture(database, "hostile.sql")


def export(capsys: pytest.CaptureFixture, database: Path, *args: str) -> str:
    assert main(["--db", str(database), "export", *args]) == 0
    return capsys.readouterr().out


def read_csv(text: str) -> list[dict[str, str]]:
    """A csv export as Excel and Python's utf-8-sig read it: it starts with a byte-order mark."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


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
    money = next(total for total in pairing["totals"] if total["measure"] == "aid_funds" and total["basis"] == "actual")
    assert money["unit"] == "CNY" and money["value"] == 24700000 and money["figures"] == 2
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


def test_node_names_what_the_tree_shows_in_any_order_and_either_language(capsys, seed_db: Path) -> None:
    education = read_csv(export(capsys, seed_db, "--node", "青白江区/九龙县/education"))
    for path in ("青白江区/九龙县/教育/支教/助学", "青白江区/九龙县/教育", "青白江区/九龙县/Education",
                 "九龙县/青白江区/education"):   # the last in the tree's recipient-first order
        assert read_csv(export(capsys, seed_db, "--node", path)) == education, path


def test_a_place_alone_names_its_node_when_unique(capsys, seed_db: Path) -> None:
    rows = read_csv(export(capsys, seed_db, "--node", "九龙县"))
    expected = {str(ref) for (ref,) in sql(seed_db, """
        SELECT p.id FROM project p JOIN pairing pr ON pr.id = p.pairing_id
          JOIN pairing_names n ON n.id = coalesce(pr.parent_id, pr.id) WHERE n.recipient = '九龙县'""")}
    assert expected and {r["project_id"] for r in rows if r["project_id"]} == expected
    assert {r["recipient"] for r in rows if r["project_id"]} == {"九龙县"}


def test_a_place_that_is_donor_and_recipient_asks_for_its_path(capsys, marked_db: Path) -> None:
    assert main(["--db", str(marked_db), "export", "--node", "九龙县"]) == 1
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and "both a donor and a recipient" in error


def test_a_project_anywhere_by_its_id(capsys, seed_db: Path) -> None:
    (ref,), = sql(seed_db, "SELECT id FROM project WHERE name = '中藏药科研示范基地'")
    rows = read_csv(export(capsys, seed_db, "--node", f"#{ref}"))
    assert rows and {r["project_id"] for r in rows} == {str(ref)}
    assert main(["--db", str(seed_db), "export", "--node", "#999999999"]) == 1
    assert capsys.readouterr().err.strip() == "duikou: there is no project #999999999"


def test_a_bad_node_is_one_line_naming_the_nearest_choices_first(capsys, seed_db: Path) -> None:
    for path, start in (("青白江区/九龙", "duikou: no recipient “九龙” under 青白江区"),
                        ("九龙", "duikou: no donor, recipient or sector “九龙” under the top")):
        assert main(["--db", str(seed_db), "export", "--node", path]) == 1
        captured = capsys.readouterr()
        error = captured.err.strip()
        assert captured.out == "" and "\n" not in error and error.startswith(start)
        assert error.split("nearest: ")[1].split(", ")[0] == "九龙县"


def test_output_file_is_never_overwritten_without_force(capsys, seed_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    assert main(["--db", str(seed_db), "export", "--output", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err and target.read_text() == "keep me"
    assert main(["--db", str(seed_db), "export", "--output", str(target), "--force"]) == 0
    assert read_csv(target.read_text(encoding="utf-8"))[0]["donor"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]   # no temporary file left behind


def test_csv_defuses_spreadsheet_formulas_ascii_and_full_width(capsys, marked_db: Path) -> None:
    names = {row["project"] for row in read_csv(export(capsys, marked_db, "--node", "青白江区/九龙县/education"))}
    assert "'=HYPERLINK(\"http://example.invalid\",\"点击\")" in names
    assert {"'＝SUM(1,2)", "'＋1", "'－1", "'＠A1"} <= names


def test_xlsx_reads_back_as_the_csv_with_numbers_as_numbers(capsys, marked_db: Path, tmp_path: Path) -> None:
    node = "青白江区/九龙县/education"
    target = tmp_path / "out.xlsx"
    assert main(["--db", str(marked_db), "export", "--format", "xlsx", "--node", node, "--output", str(target)]) == 0
    sheet = openpyxl.load_workbook(target)["figures"]
    header, *cells = list(sheet.iter_rows(values_only=True))
    table = [dict(zip(header, row)) for row in cells]
    as_csv = read_csv(export(capsys, marked_db, "--node", node))
    assert [{k: "" if v is None else str(v) for k, v in row.items()} for row in table] == as_csv
    money = next(row for row in table if row["figure"] == "投入资金")
    assert money["value"] == 3000000 and isinstance(money["value"], int) and money["unit"] == "CNY"
    assert money["wording"] == "300万元" and money["basis"] == "actual"
    assert isinstance(money["project_id"], int) and isinstance(money["year"], int)
    assert {"'＝SUM(1,2)", "'=HYPERLINK(\"http://example.invalid\",\"点击\")"} <= {row["project"] for row in table}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)   # no formula anywhere


def test_xlsx_is_refused_on_a_terminal(seed_db: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    assert main(["--db", str(seed_db), "export", "--format", "xlsx"]) == 1
    assert "give --output FILE" in capsys.readouterr().err


def rendered(report: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(report)


def test_markdown_report_a_table_per_pairing_units_apart_quotes_and_documents(capsys, seed_db: Path) -> None:
    report = export(capsys, seed_db, "--format", "markdown", "--node", "青白江区/九龙县")
    assert "\n## 青白江区 → 九龙县\n" in report
    assert "| Figure | Value | Unit | Basis | As written | Years | Source |" in report
    (wording, quote, title, key), = sql(seed_db, """
        SELECT f.wording, f.evidence, d.title, d.key FROM figure f JOIN document d ON d.key = f.document
         WHERE f.value = 10500000 AND f.pairing_id = 1""")
    row = next(line for line in report.splitlines() if line.startswith("| ") and f"| {wording} |" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1:4] == ["10500000", "CNY", "actual"]          # the value, its unit, its basis: a column each
    number = cells[6].split(", ")[0]
    assert f"\n> {number}. “{quote}”  \n> — 《{title}》\n" in report   # the row's quote, a block quote below
    assert f"- 《{title}》" in report and key in report                 # the documents, listed by title
    html = rendered(report)
    assert "<blockquote>" in html and f"<td>{wording}</td>" in html and "<li>《" in html
    assert "\\_" not in report                                            # a key's underscore is not escaped


def test_markdown_escapes_markup_from_the_data_and_nothing_more(capsys, marked_db: Path) -> None:
    report = export(capsys, marked_db, "--format", "markdown", "--node", "青白江区/九龙县/education")
    assert r"### 书包\|文具 \*捐赠\* \_项目\_ \[链接](x) \`代码\` \#" in report
    row = next(line for line in report.splitlines() if "捐赠" in line and line.startswith("|"))
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 7 and cells[0].strip() == r"捐赠\|物资" and cells[1].strip() == "2500"
    html = rendered(report).split("</p>", 1)[1]       # after the report's own introduction
    assert "<h3>书包|文具 *捐赠* _项目_ [链接](x) `代码` #</h3>" in html   # rendered, the name as written
    assert "<em>" not in html and "<a " not in html and "<code>" not in html
    hostile = export(capsys, marked_db, "--format", "markdown", "--node", "青白江区/九龙县")
    assert "\x1b" not in hostile and r"\[red]x\[/red]" in hostile


def test_markdown_totals_are_the_pairings_rows_of_v_total(capsys, seed_db: Path) -> None:
    report = export(capsys, seed_db, "--format", "markdown", "--node", "青白江区/九龙县")
    db = sqlite3.connect(seed_db)
    rows = db.execute("""SELECT measure, unit, basis, value, beside FROM v_total WHERE scope = 'pairing'
                         AND donor = '青白江区' AND recipient = '九龙县' AND sector IS NULL AND year IS NULL""").fetchall()
    db.close()
    table = report.split("### Totals", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0].splitlines()[2:]
    shown = {tuple(cell.strip() for cell in line.strip("|").split("|")) for line in table}
    assert {(measure, basis.split(",")[0], value, unit, beside) for measure, basis, _, value, unit, _, beside in shown} \
        == {(measure, basis, f"{value:.0f}", unit, f"{beside:.0f}" if beside else "")
            for measure, unit, basis, value, beside in rows}
    assert ("aid_funds", "actual", "24700000", "CNY", "800000") in {
        (measure, basis.split(",")[0], value, unit, beside) for measure, basis, _, value, unit, _, beside in shown}


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
