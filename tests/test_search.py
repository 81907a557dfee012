"""Search: a person types what they remember, in any script or spelling, and finds the thing first.

The database is the bundled seed plus tests/fixtures/search.sql. The tests rely only on the
fixture's rows and on places 1–8 and pairings 1–2 of the Base section of db/seed.sql (青白江区 →
九龙县, 成华区 → 丹巴县), since the rest of the seed is being curated.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import copy_database, load_fixture

from tui.data import open_database
from tui.data.connection import connect
from tui.data.search import Hit, find, group_by_kind, search

QINGBAIJIANG, CHENGHUA, JIULONG, DANBA = 4, 5, 7, 8
JILAN, JIULONGTAN = 900001, 900003
DANBA_HOSPITAL, WORK_TEAM = 900001, 900002
SCHOOL_2018, CANTEEN_2019, HOSPITAL_KIT_2018, DANBA_SCHOOL_2018, PEONY_BASE = 900001, 900002, 900003, 900004, 900005
SCHOOL_FUNDS, CLOTHES = 900001, 900002


@pytest.fixture(scope="module")
def db(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = load_fixture(copy_database(seed_db, tmp_path_factory.mktemp("search") / "t.db"), "search.sql")
    reader = connect(path)          # read-only, as the app browses
    yield reader
    reader.close()


def first(db: sqlite3.Connection, query: str) -> Hit:
    hits = search(db, query)
    assert hits, f"{query!r} found nothing"
    return hits[0]


def refs(hits: list[Hit], kind: str) -> list[int | str]:
    return [hit.ref for hit in hits if hit.kind == kind]


# What a person types, and what they mean: it must come first.
FIRST = [
    # simplified, short forms, one and two characters
    ("九龙", "place", JIULONG, None),
    ("九龙县", "place", JIULONG, "exact name"),
    ("丹", "place", DANBA, "name prefix"),
    ("霁岚", "place", JILAN, "exact name"),        # its short name
    ("霁岚镇", "place", JILAN, "exact name"),
    ("霁", "place", JILAN, "name prefix"),
    ("九龙滩", "place", JIULONGTAN, "name prefix"),
    ("钟予", "person", 900001, "name prefix"),
    ("霁岚镇脱贫攻坚", "document", "search-fixture-900001.txt", "name prefix"),
    ("霁岚中学教学楼建设资金", "figure", SCHOOL_FUNDS, "exact name"),
    # traditional in the query is the simplified name
    ("丹巴縣", "place", DANBA, "exact name"),
    ("成華區", "place", CHENGHUA, "exact name"),
    ("霁嵐幫扶", "organisation", WORK_TEAM, "name prefix"),
    ("丹巴縣嵐峰醫院", "organisation", DANBA_HOSPITAL, "exact name"),
    # traditional in the data is found by simplified and traditional queries alike
    ("帮扶资金建设澄溪乡", "project", PEONY_BASE, "description"),
    ("幫扶資金建設澄溪鄉", "project", PEONY_BASE, "description"),
    # pinyin: joined, spaced, tone marks, capitals, half typed, of names with no English name
    ("jiulong", "place", JIULONG, None),
    ("jiu long", "place", JIULONG, None),
    ("Jiǔlóng", "place", JIULONG, None),
    ("JIULONGXIAN", "place", JIULONG, "pinyin"),
    ("jiulon", "place", JIULONG, None),
    ("jilanzhen", "place", JILAN, "pinyin"),
    ("Jì lán zhèn", "place", JILAN, "pinyin"),
    ("chengximudan", "project", PEONY_BASE, "pinyin"),
    ("ximudan", "project", PEONY_BASE, "pinyin"),     # starting inside a word (澄溪 牡丹): by its syllables
    ("zhongyucheng", "person", 900001, "pinyin"),
    # initials
    ("jlx", "place", JIULONG, "initials"),
    ("dbx", "place", DANBA, "initials"),
    ("jlxjlzxjxl", "project", SCHOOL_2018, "initials"),
    # English
    ("Jiulong County", "place", JIULONG, "english"),
    ("Danba", "place", DANBA, None),
    ("yunyin", "place", 900002, None),
    ("Jiulongtan District", "place", JIULONGTAN, "english"),
    # a number finds the figure it denotes, however written
    ("1061万", "figure", SCHOOL_FUNDS, "number"),
    ("1061萬", "figure", SCHOOL_FUNDS, "number"),
    ("10610000", "figure", SCHOOL_FUNDS, "number"),
    ("10,610,000", "figure", SCHOOL_FUNDS, "number"),
    ("1061", "figure", SCHOOL_FUNDS, "number"),
    ("0.1061亿", "figure", SCHOOL_FUNDS, "number"),
    ("3217", "figure", CLOTHES, "number"),
    # several terms narrow: a place, a year and a sector
    ("霁岚 2018 教育", "project", SCHOOL_2018, "context"),
    ("jilan 2018 education", "project", SCHOOL_2018, "context"),
    ("霁岚 health", "project", HOSPITAL_KIT_2018, "context"),
    ("霁岚 教学楼", "project", SCHOOL_2018, "name"),
]


@pytest.mark.parametrize("query, kind, ref, reason", FIRST, ids=[case[0] for case in FIRST])
def test_what_a_person_means_comes_first(db, query, kind, ref, reason):
    hit = first(db, query)
    assert (hit.kind, hit.ref) == (kind, ref), search(db, query)[:3]
    if reason is not None:
        assert hit.reason == reason


def test_pinyin_and_english_say_which_they_matched(db):
    assert first(db, "jiulong").reason in ("pinyin", "english")
    hit = first(db, "jilanzhen")
    assert (hit.label, hit.matched.replace(" ", "")) == ("霁岚镇", "jilanzhen")


def test_exact_name_then_prefix_then_substring(db):
    hits = search(db, "霁岚")
    order = [(hit.kind, hit.ref) for hit in hits]
    assert order[0] == ("place", JILAN) and hits[0].reason == "exact name"
    # 霁岚帮扶队 starts with 霁岚; 九龙县霁岚中学教学楼 holds it inside
    assert order.index(("organisation", WORK_TEAM)) < order.index(("project", SCHOOL_2018))
    assert hits[order.index(("organisation", WORK_TEAM))].reason == "name prefix"
    assert hits[order.index(("project", SCHOOL_2018))].reason == "name"


def test_a_place_comes_before_longer_names_starting_like_it(db):
    order = [(hit.kind, hit.ref) for hit in search(db, "九龙")]
    assert order[0] == ("place", JIULONG)
    assert order.index(("place", JIULONGTAN)) < order.index(("project", SCHOOL_2018))


def test_one_character_puts_the_shortest_name_starting_with_it_first(db):
    hits = search(db, "丹")
    order = [(hit.kind, hit.ref) for hit in hits]
    assert order[0] == ("place", DANBA)
    assert order.index(("organisation", DANBA_HOSPITAL)) < order.index(("project", PEONY_BASE))  # 澄溪牡丹…: inside
    assert hits[order.index(("project", PEONY_BASE))].reason == "name"


def test_among_names_starting_alike_the_shortest_comes_first(db):
    # 九龙县霁岚小学食堂 (9 characters) is closer to what was typed than the 10-character ones
    assert refs(search(db, "九龙县霁岚"), "project")[:1] == [CANTEEN_2019]
    assert refs(search(db, "jiulongxianjilan"), "project")[:1] == [CANTEEN_2019]


def test_names_rank_above_text(db):
    hits = search(db, "1061")
    order = [(hit.kind, hit.ref) for hit in hits]
    assert order.index(("figure", SCHOOL_FUNDS)) < order.index(("project", PEONY_BASE))
    described = hits[order.index(("project", PEONY_BASE))]
    # the project's own description, not a source's quote: it is not called evidence
    assert described.reason == "description" and "1061" in described.matched


def test_text_hits_show_the_text_as_written(db):
    hit = first(db, "帮扶资金建设澄溪乡")
    assert hit.reason == "description"
    assert "幫扶資金建設澄溪鄉" in hit.matched and len(hit.matched) <= 40


def test_items_matching_every_term_come_before_those_matching_some(db):
    hits = search(db, "九龙 2018 教育")
    complete = [hit.ref for hit in hits if hit.kind == "project" and not hit.missing]
    assert SCHOOL_2018 in complete and hits[[h.ref for h in hits].index(SCHOOL_2018)].reason == "context"
    assert CANTEEN_2019 not in complete            # 2019: its year is checked, not only its text
    assert HOSPITAL_KIT_2018 not in complete       # health
    assert DANBA_SCHOOL_2018 not in complete       # 丹巴
    # few match every term: those matching most of them follow, each saying what it lacks
    few = search(db, "霁岚 2018 教育")
    first_partial = next(index for index, hit in enumerate(few) if hit.missing)
    assert first_partial > 0 and all(hit.missing for hit in few[first_partial:])
    canteen = next(hit for hit in few if hit.ref == CANTEEN_2019 and hit.kind == "project")
    assert canteen.missing == ("2018",)
    assert [hit.ref for hit in search(db, "霁岚 2018 教育") if hit.kind == "project" and not hit.missing] \
        == [SCHOOL_2018]
    assert {hit.ref for hit in search(db, "霁岚 教育") if hit.kind == "project" and not hit.missing} \
        == {SCHOOL_2018, CANTEEN_2019}


def test_a_question_no_item_fully_answers_still_finds_what_it_partly_names(db):
    found = find(db, "霁岚 教学楼 nonexistentword")
    assert found.hits and found.hits[0].ref == SCHOOL_2018 and found.hits[0].missing == ("nonexistentword",)
    assert found.total == 0 and found.unmatched == ("nonexistentword",)


def test_asking_words_are_not_required_and_number_words_steer(db):
    hits = search(db, "霁岚中学 投入多少钱")
    assert (hits[0].kind, hits[0].ref) == ("figure", SCHOOL_FUNDS) and not hits[0].missing
    assert (first(db, "钟予澄是什么人").kind, first(db, "钟予澄是什么人").ref) == ("person", 900001)


def test_chinese_without_spaces_is_cut_at_place_names(db):
    assert first(db, "霁岚教学楼").ref == SCHOOL_2018
    assert first(db, "九龙霁岚卫生院").ref == HOSPITAL_KIT_2018


def test_counts_are_honest(db):
    found = find(db, "霁岚", limit=2)
    assert len(found.hits) == 2 and found.total > 2 and not found.more


def test_sectors_are_results(db):
    hit = next(hit for hit in search(db, "教育") if hit.kind == "sector")
    assert hit.ref == "education"
    assert (first(db, "Education").kind, first(db, "Education").ref) == ("sector", "education")


def test_a_place_and_its_partner_find_their_pairing(db):
    hits = search(db, "青白江 九龙")
    assert refs(hits, "pairing")[0] == 1
    assert refs(search(db, "成華 丹巴"), "pairing")[0] == 2


def test_a_number_finds_only_figures_of_that_value(db):
    assert refs(search(db, "3217"), "figure") == [CLOTHES]
    assert refs(search(db, "10610000"), "figure") == [SCHOOL_FUNDS]
    assert refs(search(db, "10610001"), "figure") == []


def test_hits_say_where_they_sit(db):
    school = first(db, "九龙县霁岚中学教学楼")
    assert school.label == "九龙县霁岚中学教学楼"
    assert "青白江区 → 九龙县" in school.context and "education" in school.context and "2018" in school.context
    funds = first(db, "1061万")
    assert "九龙县霁岚中学教学楼" in funds.context and "1061万元" in funds.context
    township = first(db, "霁岚镇")
    assert "九龙县" in township.context
    pairing = next(hit for hit in search(db, "青白江 九龙") if hit.kind == "pairing")
    assert pairing.label == "青白江区 → 九龙县"
    person = first(db, "钟予澄")
    assert "霁岚帮扶队" in person.context and "挂职副镇长" in person.context


def test_labels_are_canonical_simplified(db):
    assert first(db, "丹巴縣").label == "丹巴县"
    assert first(db, "Jiulong County").label == "九龙县"
    assert first(db, "丹巴縣嵐峰醫院").label == "丹巴县岚峰医院"


def test_results_group_by_kind_best_group_first(db):
    hits = search(db, "霁岚")
    groups = group_by_kind(hits)
    assert next(iter(groups)) == "place"
    assert groups["place"][0].ref == JILAN
    assert [hit for group in groups.values() for hit in group] == sorted(hits, key=lambda h: list(groups).index(h.kind))
    assert {SCHOOL_2018, CANTEEN_2019, HOSPITAL_KIT_2018} <= set(hit.ref for hit in groups["project"])


def test_limit_is_respected(db):
    assert len(search(db, "九龙", limit=2)) == 2
    assert search(db, "九龙", limit=0) == []


@pytest.mark.parametrize("query", ['"九龙"', "九龙*", "-九龙", "(九龙)", "九龙\\", "九龙😀", "^九龙", "九龙:"])
def test_syntax_characters_are_just_punctuation(db, query):
    assert first(db, query).ref == JIULONG


@pytest.mark.parametrize("query", [
    "", "   ", '"', '""', "'", "*", "-", "^", ":", "(", ")", "\\", "AND", "OR", "NOT", "NEAR", "NEAR(九龙 丹巴)",
    "九龙 AND", "OR 丹巴", "{names}: 九", "names:九龙", '"九龙" NOT "丹巴"', "😀", "\x00", "\u200b", "九" * 10_000,
    "x" * 10_000, "1" * 400, "9" * 5000 + "亿", "1e999", "NaN", "\U0002a6a5", "ㄅㄆ", "Ⅻ", "①②", "ﬁ",
])
def test_any_input_is_safe(db, query):
    hits = search(db, query)
    assert isinstance(hits, list) and all(isinstance(hit, Hit) for hit in hits)


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list('"*-^:(){}[]\\\'+ AND OR NOT NEAR 九龙丹巴县縣 jlx 1061万 \x00\t\n')),
            max_size=60),
    st.text(min_size=500, max_size=3000),
))
def test_any_text_returns_a_list_without_raising(db, query):
    assert isinstance(search(db, query), list)


def test_a_name_starting_with_the_query_is_found_among_hundreds_holding_it(fresh_db: Path):
    with sqlite3.connect(fresh_db) as writer:
        writer.executemany("INSERT INTO organisation (id, name, kind) VALUES (?, ?, 'school')",
                           [(910000 + n, f"九龙县第{n}小学澄溪帮扶班") for n in range(400)])
        # Numbered after the crowd, so the index meets it last.
        writer.execute("INSERT INTO organisation (id, name, kind) VALUES (910999, '澄溪帮扶协会', 'association')")
    hits = search(open_database(fresh_db), "澄溪帮扶")
    assert (hits[0].kind, hits[0].ref, hits[0].reason) == ("organisation", 910999, "name prefix")
    assert len(hits) == 50 and all(hit.reason == "name" for hit in hits[1:])   # the crowd comes after it


def test_pinyin_finds_an_item_by_the_names_it_sits_in_typed_from_their_start(db):
    # 澄溪捐赠衣物 is a gift of 成华区 to 丹巴县, in the sector 社会帮扶/捐赠/结对认亲: neither name is its own.
    hits = find(db, "danba jiedui").complete
    assert ("figure", CLOTHES, "context") in [(hit.kind, hit.ref, hit.reason) for hit in hits]
    # Each name of the context is one word of pinyin (and its words of two syllables), never a lone
    # syllable: 县 would put xian in every item's context, and a phrase of pinyin such as `huang shi`
    # (what `huangshi` asks of names) would read all of them.
    body = db.execute("SELECT body FROM search_index WHERE kind = 'figure' AND ref = ?", (CLOTHES,)).fetchone()[0]
    context = set(body.partition("\x1d")[0].split())
    assert {"danbaxian", "chenghuaqu", "jieduirenqin"} <= context and not {"dan", "ba", "xian", "qu"} & context


def test_a_question_knows_its_scope_year_units_and_asking_words(db):
    from tui.data.question import understand

    question = understand(db, "成华丹巴2018年投入多少钱")
    assert [term.text for term in question.terms][:2] == ["成华", "丹巴"]
    assert question.scope == (CHENGHUA, DANBA) and question.pairings == (2,)
    assert question.years == (2018,) and question.units == ("CNY",) and question.asks
    people = understand(db, "九龙县 脱贫 有多少人")
    assert people.scope == (JIULONG,) and people.units == ("person",) and "poverty_exit" in people.measures
    assert people.asking == ("有多少",)


def test_a_renamed_item_is_found_by_its_new_name_only(fresh_db: Path):
    with sqlite3.connect(fresh_db) as writer:
        project, old = writer.execute("SELECT id, name FROM project WHERE name = '郎呷村跑山鸡项目'").fetchone()
        writer.execute("UPDATE project SET name = '澄溪新名字项目' WHERE id = ?", (project,))
    db = open_database(fresh_db)
    assert (first(db, "澄溪新名字项目").kind, first(db, "澄溪新名字项目").ref) == ("project", project)
    named = [hit for hit in search(db, old) if hit.reason in ("exact name", "name prefix", "name")]
    assert project not in [hit.ref for hit in named if hit.kind == "project"]
