"""The questions the browser asks are the data library's, and answer without a screen: the way
to a node, a node's detail, a search and the node nearest its hit."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import detail_text, load_fixture, make_app, walk_to

from tui.data.atlas import Party, Project, Scope, ScopeView
from tui.data.shared import SharedAtlas

JIULONG = Scope(donor=Party(4), recipient=Party(7))
PROJECT = "中藏药科研示范基地"


@pytest.fixture(scope="module")
def atlas(seed_db: Path) -> SharedAtlas:
    return SharedAtlas(seed_db)


def project_id(atlas: SharedAtlas, name: str) -> int:
    return atlas.ask(lambda a: a.db.execute("SELECT id FROM project WHERE name = ?", (name,)).fetchone()[0])


def test_the_way_to_a_project_opens_its_donor_recipient_and_sector(atlas: SharedAtlas):
    target = Scope(Party(4), Party(7), "agriculture", project_id(atlas, PROJECT))
    steps = atlas.path_to(target, "donor")
    chosen = [step.nodes[step.match] for step in steps]
    assert [node.level for node in chosen] == ["donor", "recipient", "sector", "project"]
    assert [node.label for node in chosen] == ["青白江区", "九龙县", "农牧业/中藏药材/养殖", PROJECT]
    assert all(not step.more or step.match is not None for step in steps)


def test_the_way_from_the_sector_order_finds_a_project_by_its_recipient(atlas: SharedAtlas):
    target = Scope(donor=Party(4), sector="agriculture", project=project_id(atlas, PROJECT))
    steps = atlas.path_to(target, "sector")
    assert [step.nodes[step.match].label for step in steps][-1] == PROJECT


def test_the_way_to_what_is_not_there_stops_where_it_ends(atlas: SharedAtlas):
    steps = atlas.path_to(Scope(donor=Party(99_999)), "donor")
    assert len(steps) == 1 and steps[0].match is None and steps[0].nodes


def test_the_way_to_a_sector_shows_its_first_page_of_projects_and_the_root_whole(seed_db: Path, monkeypatch):
    # Pages of two: a sector's projects come a page at a time below it, however many it holds;
    # the root's donors are read whole, so that a sort by money covers them all.
    monkeypatch.setattr("tui.data.shared.PAGE", 2)
    atlas = SharedAtlas(seed_db)
    sector, projects = atlas.path_to(Scope(Party(4), Party(7), "agriculture"), "donor")[2:]
    assert sector.nodes[sector.match].label == "农牧业/中藏药材/养殖"
    assert len(projects.nodes) == 2 and projects.more and projects.match is None
    root = atlas.path_to(None, "donor")[0]
    assert len(root.nodes) > 2 and not root.more


def test_the_way_to_a_project_deep_in_its_sector_reads_the_one_page_that_holds_it(seed_db: Path, monkeypatch):
    # Pages of two: the way to each of a sector's projects is the page it lies on, read
    # alone, where it used to read every page before it (at national scale, 15 s for the 50,000th).
    monkeypatch.setattr("tui.data.shared.PAGE", 2)
    atlas = SharedAtlas(seed_db)
    sector = next(step.nodes[step.match] for step in atlas.path_to(Scope(Party(4), Party(7), "agriculture"), "donor")
                  if step.match is not None and step.nodes[step.match].level == "sector")
    family = atlas.children(sector, "donor", 0, 100)
    assert len(family) >= 5     # three pages at least
    read = []
    children = atlas.children
    monkeypatch.setattr(atlas, "children", lambda node, *args: read.append((node, *args)) or children(node, *args))
    for place, project in enumerate(family):
        read.clear()
        projects = atlas.path_to(project.scope, "donor")[-1]
        assert projects.nodes[projects.match] == project
        assert projects.offset == place - place % 2 and projects.nodes == family[projects.offset:projects.offset + 2]
        assert [args[1] for node, *args in read if node == sector] == [projects.offset]   # one page of its family
    # A part of a project listed in its sector is no child of the sector: its first page, read once.
    part = project_id(atlas, "九龙县科级干部赴延安、深圳培训")
    read.clear()
    training = atlas.path_to(Scope(Party(4), Party(7), "training", part), "donor")[-1]
    assert training.match is None and training.offset == 0 and len(training.nodes) == 2
    assert len([node for node, *args in read if node is not None and node.level == "sector"]) == 1


def test_details_of_the_root_a_recipient_and_a_project(atlas: SharedAtlas):
    assert {row.recipient for row in atlas.detail(None)} >= {"九龙县", "丹巴县"}
    jiulong = atlas.path_to(JIULONG, "donor")[1]   # donor, then recipient
    view = atlas.detail(jiulong.nodes[jiulong.match])
    assert isinstance(view, ScopeView) and view.detail.totals
    way = atlas.path_to(Scope(Party(4), Party(7), "agriculture", project_id(atlas, PROJECT)), "donor")[-1]
    project = atlas.detail(way.nodes[way.match])
    assert isinstance(project, Project) and project.name == PROJECT


def test_a_hit_leads_to_its_node_and_a_blank_query_finds_nothing(atlas: SharedAtlas):
    hit = next(hit for hit in atlas.search(PROJECT, 10) if hit.kind == "project")
    order, scope = atlas.nearest_node(hit, "donor")
    assert (order, scope.donor, scope.recipient, scope.project) == ("donor", Party(4), Party(7), hit.ref)
    assert atlas.search("   ", 10) == []


async def test_a_measure_a_curator_adds_is_shown_by_its_name(fresh_db: Path, tmp_path: Path):
    sql = tmp_path / "seedlings.sql"
    sql.write_text("""
        INSERT INTO measure (code, name_zh, name_en, additive) VALUES ('seedlings', '苗木', 'seedlings planted', 1);
        INSERT INTO figure (id, pairing_id, sector, measure, name, value, unit, wording, year) VALUES
            (990001, 1, 'ecology', 'seedlings', '栽植苗木', 5000, 'plant', '5000株', 2018);
        """, encoding="utf-8")
    load_fixture(fresh_db, sql)
    async with make_app(fresh_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        shown = detail_text(pilot)
        assert "Seedlings planted" in shown and "seedlings:" not in shown
