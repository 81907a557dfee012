"""`duikou synth`: the bundled data plus a made-up country's worth of pairings and projects.

Duikou's real data is a few hundred curated rows. This builds a database of national shape and
size, so that the app, search and the roll-ups can be tried and measured at scale before real
data of that size exists: ~30 donor provinces, a few hundred donor districts, ~800 recipient
counties with their townships and villages, pairings of the four kinds with sub-pairings,
projects with a heavy tail (one pairing and sector with a tenth of them, up to 100,000), figures
with yearly and cumulative totals and their parts, plans, rates, figures not counted in sums and
cumulative snapshots, and a quote for every figure. Every name is
invented from lists of characters; nothing here is a real place or project. The same seed always
gives the same database.
"""
from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tui.data.bundle import build
from tui.data.errors import DuikouError
from tui.data.index import plain_number

YEARS = range(2016, 2021)
BATCH = 20_000

# Characters names are made of: two from these and a suffix make 青石县, 龙门镇, 王家村.
_FIRST = "青石龙白金东西南阳平安宁兴华云清永长新德福泰和凤鹤柳松桃梅黄红乐江岭川溪泉林沙马高双丰富昌盛隆嘉庆寿康吉利顺通义仁文武明光秀灵"
_SECOND = "山河门口坪坝沟湾水川江源泉溪林岭峰台城阳安宁平兴和丰田洲桥塘岗庄园原"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦史顾侯邵孟龙万段钱汤尹黎易常乔贺赖龚"
_GIVEN = "建国华明军伟芳丽强磊洋艳勇杰娟涛超秀英霞平刚桂兰志红林海波斌宇鹏辉玲晓东"
_CROPS = ("中藏药材", "花椒", "核桃", "苹果", "茶叶", "食用菌", "高山蔬菜", "青稞", "马铃薯", "猕猴桃", "羊肚菌", "脆李")
_ANIMALS = ("牦牛", "生猪", "藏香猪", "山羊", "土鸡", "肉牛", "蜜蜂")

# Project names by sector: (template, kind). {county}, {town}, {village}, {crop}, {animal}, {year}.
_PROJECTS: dict[str, tuple[tuple[str, str], ...]] = {
    "infrastructure": (("{town}{village}产业路硬化工程", "project"), ("{village}饮水安全巩固提升工程", "project"),
                       ("{town}{village}村级活动阵地建设", "project"), ("{village}便民桥建设", "project"),
                       ("{town}农村电网改造", "project")),
    "agriculture": (("{crop}种植基地", "base"), ("{village}{crop}种植示范园", "base"),
                    ("{village}{animal}养殖合作社", "project"), ("{town}{animal}养殖场", "project")),
    "industry": (("{county}{crop}加工厂", "project"), ("{town}扶贫车间", "project"),
                 ("{county}产业园区标准化厂房", "project")),
    "tourism": (("{village}乡村旅游示范点", "project"), ("{town}民宿改造", "project"), ("{village}旅游步道", "project")),
    "commerce": (("{county}农特产品展销会", "event"), ("{county}消费扶贫专柜", "project"),
                 ("{county}电商服务中心", "project")),
    "education": (("{county}教育帮扶资金", "fund"), ("{town}中心校教学楼建设", "project"),
                  ("{county}贫困学生助学金", "fund"), ("{town}幼儿园建设", "project")),
    "health": (("{town}卫生院设备采购", "project"), ("{county}人民医院远程会诊中心", "project"),
               ("{village}卫生室建设", "project")),
    "employment": (("{county}劳务协作培训班", "training"), ("{county}转移就业补贴", "fund"),
                   ("{town}公益性岗位", "project")),
    "training": (("{county}干部人才培训", "training"), ("{county}专业技术人才挂职", "programme"),
                 ("{town}致富带头人培训", "training")),
    "housing": (("{town}易地扶贫搬迁安置点", "project"), ("{village}农房改造", "project"),
                ("{village}人居环境整治", "project")),
    "social": (("{village}结对认亲", "campaign"), ("{county}爱心捐赠", "campaign"), ("{town}困难群众慰问", "event")),
    "governance": (("{village}党建阵地建设", "project"), ("{town}党员干部培训", "training")),
    "finance": (("{county}产业扶贫基金", "fund"), ("{county}扶贫小额信贷风险补偿金", "fund")),
    "ecology": (("{town}退耕还林", "project"), ("{village}生态护林员", "programme"), ("{county}水土保持", "project")),
    "culture": (("{village}文化广场建设", "project"), ("{town}综合文化站", "project")),
    "overall": (("{county}{year}年对口帮扶项目", "plan"), ("{county}脱贫攻坚规划", "plan")),
}
# A project's second figure, by sector: (measure, name, unit, written unit, low, high).
_OUTPUTS: dict[str, tuple[str, str, str, str, int, int]] = {
    "education": ("trained", "培训教师", "person", "人", 20, 600),
    "training": ("trained", "培训干部人才", "person_time", "人次", 10, 800),
    "employment": ("employed", "转移就业", "person", "人", 10, 2000),
    "agriculture": ("area", "种植面积", "mu", "亩", 50, 5000),
    "infrastructure": ("area", "硬化道路", "km", "公里", 1, 40),
    "health": ("beneficiaries", "受益群众", "person_time", "人次", 100, 20000),
    "housing": ("beneficiaries", "受益农户", "household", "户", 10, 800),
}
_DEFAULT_OUTPUT = ("beneficiaries", "带动贫困户", "household", "户", 5, 500)
_MONEY = (("aid_funds", "投入帮扶资金", 0.85), ("donation", "捐赠资金", 0.10), ("investment", "引进投资", 0.05))
_STREETS_PER_DISTRICT = 3


# Sums of money as reports round them: 1万, 1.2万 … 8000万 (in yuan: a tenth of a 万 times these).
_MONEY_DIGITS = (10, 12, 15, 20, 25, 30, 40, 50, 60, 80)
_MONEY_SCALES, _MONEY_SCALE_WEIGHTS = (1, 10, 100, 1000), (3, 6, 3, 0.3)
_GIANT_SECTOR = "infrastructure"
_SUB_PAIRINGS = (("street_township", 0.5), ("hospital", 0.3), ("school", 0.3))


@dataclass
class _Place:
    id: int
    name: str
    children: list[_Place] = field(default_factory=list)     # streets, townships or villages
    organisations: dict[str, int] = field(default_factory=dict)


@dataclass
class _Prefecture:
    place: _Place
    district: _Place             # its urban district, a donor to its own counties (市内结对帮扶)
    counties: list[_Place]


@dataclass
class _Province:
    place: _Place
    tibetan: bool
    districts: list[_Place]      # the capital's districts, donors within the province
    prefectures: list[_Prefecture]


@dataclass
class _Pairing:
    id: int
    kind: str
    donor: _Place
    county: _Place
    subs: list[int] = field(default_factory=list)


def synthesise(path: Path, projects: int, seed: int = 0, say: Callable[[str], None] | None = None) -> Path:
    """Build a new database at `path`: the bundled data plus `projects` synthetic projects."""
    if projects < 1:
        raise DuikouError(f"--projects must be at least 1 (got {projects})")
    say = say or (lambda message: None)

    def indexed(count: int) -> None:
        if count % 200_000 < 5_000:
            say(f"indexed {count:,} rows for search")

    return build(path, extend=lambda db: _Generator(db, projects, seed, say).run(), progress=indexed,
                 datasette_tables=False)


class _Generator:
    _INSERT = {     # in the order rows refer to each other
        "place": "INSERT INTO place (id, name, level, parent_id) VALUES (?, ?, ?, ?)",
        "organisation": "INSERT INTO organisation (id, name, kind, place_id) VALUES (?, ?, ?, ?)",
        "document": "INSERT INTO document (key, title, publisher, published, key_source) "
                    "VALUES (?, ?, ?, ?, 'synthetic')",
        "pairing": "INSERT INTO pairing (id, parent_id, kind, level, donor_place_id, donor_org_id, recipient_place_id, "
                   "recipient_org_id, start_year, end_year, document, evidence) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "project": "INSERT INTO project (id, pairing_id, sector, name, kind, place_id, year, end_year, status, "
                   "document, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "figure": "INSERT INTO figure (id, project_id, pairing_id, place_id, sector, measure, name, value, unit, "
                  "wording, year, end_year, part_of_id, document, evidence) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        # figures that are not plain money given: a plan, a rate, one not counted in sums
        "figure_of_a_kind": "INSERT INTO figure (id, pairing_id, sector, measure, name, value, unit, qualifier, "
                            "basis, counts_in_sums, wording, year, end_year, part_of_id, document, evidence) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "evidence": "INSERT INTO evidence (id, project_id, document, quote) VALUES (?, ?, ?, ?)",
        "person": "INSERT INTO person (id, name, role, organisation_id, place_id, pairing_id, document, evidence) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "alias": "INSERT INTO alias (id, place_id, name, kind) VALUES (?, ?, ?, 'short')",
    }

    def __init__(self, db: sqlite3.Connection, projects: int, seed: int, say: Callable[[str], None]):
        self.db, self.projects, self.seed, self.say = db, projects, seed, say
        self.rng = random.Random(seed)
        self.taken = {name for (name,) in db.execute("SELECT name FROM place")}
        self.next_id = {table: db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
                        for table in ("place", "organisation", "pairing", "project", "figure", "person",
                                      "evidence", "alias")}
        self.sectors = [code for (code,) in db.execute("SELECT code FROM sector ORDER BY code")]
        self.sector_names = {code: name.split("/")[0] for code, name in db.execute("SELECT code, name_zh FROM sector")}
        self.rows: dict[str, list[tuple]] = {}
        self.sector_parts: dict[tuple[int, int, str], list] = {}   # (pairing, year, sector): [figure id, sum]

    def run(self) -> None:
        # A project's money is written before the pairing's yearly sum it is part of: foreign
        # keys are checked at commit (and once more below), not row by row.
        self.db.execute("PRAGMA defer_foreign_keys = ON")
        self.say("places, organisations and pairings")
        donors, provinces = self._places()
        pairings = self._pairings(donors, provinces)
        self._projects(pairings)
        self.say("figures of pairings and places")
        self._pairing_figures(pairings)
        self._place_figures(provinces)
        self._flush()
        self.db.execute("INSERT INTO meta (key, value) VALUES ('synthetic', ?)",
                        (f"{self.projects} synthetic projects, seed {self.seed}",))
        if self.db.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise DuikouError("the synthetic rows break a foreign key (a bug in duikou synth): nothing was written")

    # --- Writing ---------------------------------------------------------------------------------

    def _id(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table] - 1

    def _add(self, table: str, *row) -> None:
        self.rows.setdefault(table, []).append(row)

    def _flush(self) -> None:
        for table, sql in self._INSERT.items():
            rows = self.rows.pop(table, None)
            if rows:
                self.db.executemany(sql, rows)

    # --- Names -----------------------------------------------------------------------------------

    def _stem(self) -> str:
        return self.rng.choice(_FIRST) + self.rng.choice(_SECOND)

    def _unique(self, suffix: str) -> str:
        """A new name, never one already given nor one of the seed's (九龙县 stays the real one)."""
        for length in range(2, 6):
            for _ in range(200):
                name = self._stem() + "".join(self.rng.choice(_SECOND) for _ in range(length - 2)) + suffix
                if name not in self.taken:
                    self.taken.add(name)
                    return name
        raise DuikouError("ran out of synthetic names")

    def _village(self, used: set[str]) -> str:
        while True:
            name = (self.rng.choice(_SURNAMES) + "家村") if self.rng.random() < 0.4 else self._stem() + "村"
            if name not in used:
                used.add(name)
                return name

    def _person(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.choice(_GIVEN) for _ in range(self.rng.randint(1, 2)))

    # --- Places --------------------------------------------------------------------------------

    def _place(self, name: str, level: str, parent: int) -> _Place:
        place = _Place(self._id("place"), name)
        self._add("place", place.id, name, level, parent)
        return place

    def _organisations(self, place: _Place, *kinds: tuple[str, str]) -> None:
        for suffix, kind in kinds:
            place.organisations[kind] = self._id("organisation")
            self._add("organisation", place.organisations[kind], place.name + suffix, kind, place.id)

    def _donor(self, parent: int) -> _Place:
        """A district (or county-level city) that gives, with its streets and organisations."""
        district = self._place(self._unique("区" if self.rng.random() < 0.8 else "市"), "county", parent)
        used: set[str] = set()
        for _ in range(_STREETS_PER_DISTRICT):
            while (street := self._stem() + "街道") in used:
                pass
            used.add(street)
            district.children.append(self._place(street, "township", district.id))
        self._organisations(district, ("人民医院", "hospital"), ("实验学校", "school"), ("对口帮扶工作队", "work_team"))
        return district

    def _county(self, parent: int, villages_per_township: int) -> _Place:
        county = self._place(self._unique("县"), "county", parent)
        self._add("alias", self._id("alias"), county.id, county.name[:-1])
        self._organisations(county, ("人民医院", "hospital"), ("中学", "school"))
        self._add("document", f"synth-county-{county.id}", f"{county.name}脱贫攻坚工作总结",
                  f"{county.name}人民政府", "2020-12-31")
        used: set[str] = set()
        for _ in range(8):
            while (name := self._stem() + self.rng.choice("镇乡")) in used:
                pass
            used.add(name)
            township = self._place(name, "township", county.id)
            villages: set[str] = set()
            township.children = [self._place(self._village(villages), "village", township.id)
                                 for _ in range(villages_per_township)]
            county.children.append(township)
        return county

    def _places(self) -> tuple[list[list[_Place]], list[_Province]]:
        """The donor districts of each eastern province, and the western provinces."""
        donors = []
        for _ in range(20):
            province = self._place(self._unique("省"), "province", 1)
            cities = [self._place(self._unique("市"), "prefecture", province.id) for _ in range(3)]
            donors.append([self._donor(city.id) for city in cities for _ in range(4)])
        villages_per_township = max(1, min(5, self.projects // 40_000))
        provinces = []
        for number in range(10):
            tibetan = number < 2
            province = self._place(self._unique("自治区" if tibetan else "省"), "province", 1)
            capital = self._place(self._unique("市"), "prefecture", province.id)
            prefectures = []
            for _ in range(8):
                prefecture = self._place(self._unique("藏族自治州" if tibetan else "市"), "prefecture", province.id)
                prefectures.append(_Prefecture(prefecture, self._donor(prefecture.id),
                                               [self._county(prefecture.id, villages_per_township)
                                                for _ in range(10)]))
            provinces.append(_Province(province, tibetan, [self._donor(capital.id) for _ in range(4)], prefectures))
        return donors, provinces

    # --- Pairings ------------------------------------------------------------------------------

    def _pairings(self, donors: list[list[_Place]], provinces: list[_Province]) -> list[_Pairing]:
        """Every recipient county's pairings: one, sometimes two, of the kinds its province has."""
        pairings = []
        for number, province in enumerate(provinces):
            # Two eastern provinces help each western one, and each eastern province one or two.
            eastern = donors[(2 * number) % len(donors)] + donors[(2 * number + 1) % len(donors)]
            for prefecture in province.prefectures:
                for county in prefecture.counties:
                    for kind in self._kinds(province.tibetan):
                        donor = {"东西部扶贫协作": eastern, "对口援藏": eastern, "省内对口帮扶": province.districts,
                                 "市内结对帮扶": [prefecture.district]}[kind]
                        pairings.append(self._pairing(kind, self.rng.choice(donor), county))
        return pairings

    def _kinds(self, tibetan: bool) -> list[str]:
        if tibetan:
            return ["对口援藏"]
        draw = self.rng.random()
        kinds = ["东西部扶贫协作" if draw < 0.6 else "省内对口帮扶" if draw < 0.85 else "市内结对帮扶"]
        if self.rng.random() < 0.2:
            kinds.append("东西部扶贫协作" if kinds[0] != "东西部扶贫协作" else "省内对口帮扶")
        return kinds

    def _pairing(self, kind: str, donor: _Place, county: _Place) -> _Pairing:
        pairing = _Pairing(self._id("pairing"), kind, donor, county)
        start = self.rng.choice((2013, 2015, 2016, 2016, 2016, 2017))
        for year in YEARS:
            self._add("document", self._report(pairing, year), f"{donor.name}对口帮扶{county.name}{year}年工作总结",
                      f"{donor.name}人民政府", f"{year}-12-31")
        self._add("pairing", pairing.id, None, kind, "region", donor.id, None, county.id, None, start, 2020,
                  self._report(pairing, 2016), f"{donor.name}与{county.name}建立{kind}关系")
        for level, chance in _SUB_PAIRINGS:
            if self.rng.random() < chance:
                sub = self._id("pairing")
                pairing.subs.append(sub)
                if level == "street_township":
                    sides = (self.rng.choice(donor.children).id, None, self.rng.choice(county.children).id, None)
                else:
                    sides = (donor.id, donor.organisations[level], county.id, county.organisations[level])
                self._add("pairing", sub, pairing.id, kind, level, *sides, start, 2020, None, None)
        if self.rng.random() < 0.2:
            role = f"{donor.name}援派干部、挂职{county.name}副县长"
            name = self._person()
            self._add("person", self._id("person"), name, role, donor.organisations["work_team"], county.id,
                      pairing.id, self._report(pairing, 2016), (role + name)[:80])
        return pairing

    @staticmethod
    def _report(pairing: _Pairing, year: int) -> str:
        return f"synth-{pairing.id}-{year}"

    # --- Projects and their figures ------------------------------------------------------------

    def _projects(self, pairings: list[_Pairing]) -> None:
        """Projects with a heavy tail: a few pairings with tens of thousands, most with few, and
        the first pairing holding a tenth of all (up to 100,000) in one sector."""
        giant = min(100_000, self.projects // 10)
        weights = [self.rng.paretovariate(1.1) * self.rng.random() ** 2 for _ in pairings]
        counts = _shares(self.projects - giant, weights, self.rng)
        counts[0] += giant
        made = 0
        for number, (pairing, count) in enumerate(zip(pairings, counts)):
            sector_weights = [self.rng.random() ** 2 + 0.01 for _ in self.sectors]
            sectors = self.rng.choices(self.sectors, weights=sector_weights, k=count)
            if number == 0:
                sectors[:giant] = [_GIANT_SECTOR] * giant
            for sector in sectors:
                self._project(pairing, sector)
                made += 1
                if made % BATCH == 0:
                    self._flush()
                    if made % 100_000 == 0:
                        self.say(f"{made:,} of {self.projects:,} projects")
        self._flush()

    def _project(self, pairing: _Pairing, sector: str) -> None:
        rng, county = self.rng, pairing.county
        project = self._id("project")
        year = rng.choice(YEARS)
        township = rng.choice(county.children)
        village = rng.choice(township.children)
        template, kind = rng.choice(_PROJECTS.get(sector, _PROJECTS["overall"]))
        name = template.format(county=county.name, town=township.name, village=village.name,
                               crop=rng.choice(_CROPS), animal=rng.choice(_ANIMALS), year=year)
        place = village if "{village}" in template else township if "{town}" in template else county
        status = "completed" if year < 2020 else rng.choice(("completed", "underway", "planned"))
        report = self._report(pairing, year)
        in_sub = pairing.subs and rng.random() < 0.2
        self._add("project", project, rng.choice(pairing.subs) if in_sub else pairing.id, sector, name, kind,
                  place.id, year, min(year + (rng.random() < 0.2), YEARS[-1]), status, report, f"{year}年实施{name}"[:80])
        if rng.random() < 0.03:
            self._add("evidence", self._id("evidence"), project, f"synth-county-{county.id}",
                      f"{county.name}{name}顺利完工"[:80])
        if rng.random() < 0.9:
            self._money(pairing, project, sector, year, name)
        if rng.random() < 0.6:
            measure, label, unit, written, low, high = _OUTPUTS.get(sector, _DEFAULT_OUTPUT)
            amount = rng.randint(low, high)
            wording = f"{amount}{written}"
            self._add("figure", self._id("figure"), project, None, None, None, measure, label, float(amount), unit,
                      wording, year, None, None, report, f"{year}年{label}{wording}")

    def _money(self, pairing: _Pairing, project: int, sector: str, year: int, name: str) -> None:
        rng = self.rng
        measure, label = rng.choices([m[:2] for m in _MONEY], weights=[m[2] for m in _MONEY])[0]
        value = rng.choice(_MONEY_DIGITS) * rng.choices(_MONEY_SCALES, weights=_MONEY_SCALE_WEIGHTS)[0] * 1000
        wording = _wan(value)
        part_of = None
        if measure == "aid_funds":    # a part of the pairing's money for that sector and year
            part = self.sector_parts.setdefault((pairing.id, year, sector), [self._id("figure"), 0])
            part[1] += value
            part_of = part[0]
        self._add("figure", self._id("figure"), project, None, None, None, measure, label, float(value), "CNY",
                  wording, year, None, part_of, self._report(pairing, year), f"{year}年{label}{wording}，用于{name}"[:80])

    # --- Figures of pairings and places --------------------------------------------------------

    def _pairing_figures(self, pairings: list[_Pairing]) -> None:
        """Each pairing's money: by year, each year's parts by sector, and all five years together."""
        for pairing in pairings:
            cumulative, total = self._id("figure"), 0
            for year in YEARS:
                report, yearly = self._report(pairing, year), self._id("figure")
                parts = [(sector, part) for sector in self.sectors
                         if (part := self.sector_parts.get((pairing.id, year, sector))) is not None]
                for sector, (part, value) in parts:
                    label, wording = self.sector_names[sector], _wan(value)
                    self._add("figure", part, None, pairing.id, None, sector, "aid_funds", f"{label}帮扶资金",
                              float(value), "CNY", wording, year, None, yearly, report, f"其中{label}投入{wording}")
                # What a report's yearly sum holds beyond the projects listed: a little, or nothing.
                value = sum(part[1] for _, part in parts) + self.rng.choice((0, 0, 50, 100, 300)) * 10_000 or 500_000
                wording = _wan(value)
                self._add("figure", yearly, None, pairing.id, None, "overall", "aid_funds", "投入帮扶资金", float(value),
                          "CNY", wording, year, None, cumulative, report, f"{year}年投入帮扶资金{wording}")
                cadres = self.rng.randint(2, 30)
                self._add("figure", self._id("figure"), None, pairing.id, None, "training", "cadres_sent", "选派干部",
                          float(cadres), "person", f"{cadres}人", year, None, None, report, f"{year}年选派干部{cadres}人")
                total += value
            wording = _wan(total)
            self._add("figure", cumulative, None, pairing.id, None, "overall", "aid_funds", "累计投入帮扶资金",
                      float(total), "CNY", wording, YEARS[0], YEARS[-1], None, self._report(pairing, YEARS[-1]),
                      f"{YEARS[0]}年至{YEARS[-1]}年累计投入帮扶资金{wording}")
            self._figures_of_a_kind(pairing, total)
            if len(self.rows["figure"]) >= BATCH:
                self._flush()

    def _figures_of_a_kind(self, pairing: _Pairing, given: float) -> None:
        """What makes sums hard, once per pairing: the plan its money was given under, a monthly
        subsidy per person (a rate), training money the report does not place inside or outside
        the total (not counted in sums), and two cumulative snapshots of donations, the earlier
        part of the later."""
        rng, first, last = self.rng, self._report(pairing, YEARS[0]), self._report(pairing, YEARS[-1])
        plan = round(given * rng.choice((1.0, 1.2, 1.5)) / 1e6) * 1e6 or 1e6
        subsidy = rng.choice((500, 800, 1000, 1500))
        training = rng.choice((30, 50, 80)) * 10_000
        later, earlier = rng.choice((150, 170, 200)) * 10_000, rng.choice((60, 100)) * 10_000
        later_id = self._id("figure")
        for row in (
                (self._id("figure"), pairing.id, "overall", "aid_funds", "计划投入帮扶资金", plan, "CNY", "planned",
                 "planned", 1, _wan(plan), YEARS[0], YEARS[-1], None, first, f"计划五年投入帮扶资金{_wan(plan)}"),
                (self._id("figure"), pairing.id, "social", "aid_funds", "困难群众生活补助", float(subsidy),
                 "CNY/person/month", None, None, 1, f"{subsidy}元", YEARS[-1], None, None, last,
                 f"为困难群众每人每月发放生活补助{subsidy}元"),
                (self._id("figure"), pairing.id, "training", "aid_funds", "培训投入", float(training), "CNY", "approx",
                 None, 0, _wan(training), YEARS[1], None, None, first, f"共投入培训资金{_wan(training)}，举办专题培训班"),
                (later_id, pairing.id, "social", "donation", "截至目前捐款捐物", float(later), "CNY", "approx", None, 1,
                 _wan(later), YEARS[-1], None, None, last, f"截至目前捐款捐物价值约{_wan(later)}"),
                (self._id("figure"), pairing.id, "social", "donation", "累计捐款捐物", float(earlier), "CNY", "approx",
                 None, 1, _wan(earlier), YEARS[-2], None, later_id, first, f"累计捐款捐物达{_wan(earlier)}")):
            self._add("figure_of_a_kind", *row)

    def _place_figures(self, provinces: list[_Province]) -> None:
        """Each recipient county's own outcome: its poverty rate before and after, people lifted out."""
        for county in (county for province in provinces for prefecture in province.prefectures
                       for county in prefecture.counties):
            document = f"synth-county-{county.id}"
            rate = self.rng.randint(30, 300) / 10
            quote = f"贫困发生率由{YEARS[0]}年的{plain_number(rate)}%降至0%"
            for year, value in ((YEARS[0], rate), (YEARS[-1], 0.0)):
                self._add("figure", self._id("figure"), None, None, county.id, "overall", "poverty_rate", "贫困发生率",
                          value, "percent", f"{plain_number(value)}%", year, None, None, document, quote)
            exited = self.rng.randint(2_000, 60_000)
            self._add("figure", self._id("figure"), None, None, county.id, "overall", "poverty_exit", "贫困人口脱贫",
                      float(exited), "person", f"{exited}人", YEARS[-1], None, None, document,
                      f"全县累计脱贫{exited}人，贫困村全部退出")


def _wan(value: float) -> str:
    """A sum in yuan as reports write it: 1200000 → 120万元."""
    return plain_number(value / 10_000) + "万元"


def _shares(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """`total` split in proportion to `weights`, whole numbers adding up to `total`."""
    scale = total / sum(weights)
    counts = [int(weight * scale) for weight in weights]
    for index in rng.choices(range(len(weights)), weights=weights, k=total - sum(counts)):
        counts[index] += 1
    return counts
