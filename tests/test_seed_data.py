"""The bundled data: every figure is what its document says, in base units, and sums never double count."""
from __future__ import annotations

import html
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui.data.numbers import first_number, same_value

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PINYIN_RESIDUE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def normalise(text: str) -> str:
    return PINYIN_RESIDUE.sub("", html.unescape(text))


@pytest.fixture(scope="module")
def db(seed_db: Path) -> sqlite3.Connection:
    return sqlite3.connect(seed_db)


def test_every_figure_quotes_its_number_as_written(db: sqlite3.Connection):
    wrong = []
    for fid, value, wording, evidence in db.execute(
            "SELECT id, value, wording, evidence FROM figure WHERE evidence IS NOT NULL"):
        if not wording or normalise(wording) not in normalise(evidence):
            wrong.append(f"figure {fid}: {wording!r} is not in its evidence {evidence!r}")
        elif (number := first_number(wording)) is not None and not same_value(number, value):
            wrong.append(f"figure {fid}: {wording!r} reads {number}, but the value is {value}")
    assert wrong == []


def test_parts_add_up_to_no_more_than_their_total_unless_curation_explains_it(db: sqlite3.Connection):
    over = db.execute("""SELECT t.id FROM figure t JOIN figure p ON p.part_of_id = t.id
                         WHERE p.unit = t.unit GROUP BY t.id HAVING sum(p.value) > t.value * 1.0001""").fetchall()
    notes = (Path(__file__).resolve().parents[1] / "db" / "CURATION.md").read_text(encoding="utf-8")
    assert [fid for (fid,) in over if f"figure {fid}" not in notes] == []


def test_a_part_has_the_unit_of_its_total(db: sqlite3.Connection):
    assert db.execute("""SELECT p.id FROM figure p JOIN figure t ON t.id = p.part_of_id
                         WHERE p.unit <> t.unit""").fetchall() == []


@pytest.mark.skipif(not (SHARED / "tools" / "check_evidence.py").exists(), reason="needs ../shared beside the checkout")
def test_every_quote_is_found_in_its_document(seed_db: Path):
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "check_evidence.py"), str(seed_db)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


DOC = {"000": "000_c29e945638e12640.txt", "001": "001_dded6dd67a8340da.txt", "002": "002_e215cf59153c62fe.txt",
       "003": "003_9bc1029719602b64.txt", "004": "004_f114d430b7a48ac4.txt"}

# (document, words of the quote, value, unit, qualifier, year, donor, recipient, sector): each read
# off the document by a person, not off the database.
PINNED_FACTS = [
    ("000", "投入帮扶资金418.9万元", 4_189_000, "CNY", None, 2017, "青白江区", "九龙县", "industry"),
    ("000", "2665名贫困人口脱贫", 2665, "person", None, 2016, "青白江区", "九龙县", "infrastructure"),
    ("000", "达成初步就业意向128人", 128, "person", None, 2017, "青白江区", "九龙县", "employment"),
    ("000", "一次性捐助学费及生活费1.2万元", 12_000, "CNY", None, 2017, "青白江区", "九龙县", "education"),
    ("000", "捐赠助学金3万元", 30_000, "CNY", None, 2017, "青白江区", "九龙县", "social"),
    ("001", "財政幫扶資金2.6億元", 260_000_000, "CNY", None, 2012, "成华区", "丹巴县", "overall"),
    ("001", "選派干部人才115人", 115, "person", None, 2012, "成华区", "丹巴县", "training"),
    ("001", "54個貧困村全部達標退出", 54, "village", None, 2019, None, "丹巴县", "overall"),
    ("001", "成功建成村級活動室23個", 23, "item", None, 2018, "成华区", "丹巴县", "governance"),
    ("001", "18人被表彰為成都市對口幫扶先進個人", 18, "person", None, None, "成华区", "丹巴县", "training"),
    ("002", "安排1250万元用于对口帮扶", 12_500_000, "CNY", None, 2018, "青白江区", None, "overall"),
    ("002", "安排200万元,用于支持简阳市", 2_000_000, "CNY", None, 2018, "青白江区", "简阳市", "overall"),
    ("002", "总投资3600万元的扶贫协作项目20个", 36_000_000, "CNY", None, 2018, "衢江区", "平武县", "overall"),
    ("002", "协议总投资近60亿", 6_000_000_000, "CNY", "approx", 2018, "衢江区", "平武县", "industry"),
    ("002", "村道改建10.486公里", 10.486, "km", None, 2018, "青白江区", "简阳市", "infrastructure"),
    ("002", "送去慰问金2400元", 2400, "CNY", None, None, "青白江区", "九龙县", "social"),
    ("003", "下降到2016年的12.78%", 12.78, "percent", None, 2016, None, "丹巴县", "overall"),
    ("003", "府青路街道投资30万元", 300_000, "CNY", None, None, "成华区", "丹巴县", "agriculture"),
    ("003", "出资50余万元", 500_000, "CNY", "approx", None, "成华区", "丹巴县", "commerce"),
    ("003", "就近就业1850人次", 1850, "person_time", None, None, "成华区", "丹巴县", "employment"),
    ("003", "组织35家企业", 35, "enterprise", None, 2017, "成华区", "丹巴县", "employment"),
    ("004", "一线优秀教师50人", 50, "person", None, 2017, "湖北省", "山南市", "education"),
    ("004", "100万元医疗救助基金", 1_000_000, "CNY", None, None, "湖北省", "山南市", "health"),
    ("004", "每年落实50万元", 500_000, "CNY/year", None, None, "湖北省", "山南市", "education"),
    ("004", "70%以上的牧民从中受益", 70, "percent", "approx", None, "湖北省", "山南市", "agriculture"),
    ("004", "人均可增收约700元", 700, "CNY/person", "approx", None, "湖北省", "山南市", "agriculture"),
]


@pytest.mark.parametrize("fact", PINNED_FACTS, ids=[f"{f[0]}:{f[1]}" for f in PINNED_FACTS])
def test_a_figure_reads_as_its_document_says(db: sqlite3.Connection, fact):
    document, words, value, unit, qualifier, year, donor, recipient, sector = fact
    rows = db.execute("""SELECT unit, qualifier, year, donor, recipient, sector FROM v_metric
                         WHERE document = ? AND instr(evidence, ?) AND value = ?""",
                      (DOC[document], words, value)).fetchall()
    assert rows == [(unit, qualifier, year, donor, recipient, sector)]
