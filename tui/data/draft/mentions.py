"""Where an article gives a number about the assistance, and what it counts: value in base units,
unit from the vocabulary (rates as rates), qualifier (approx, range) and basis (actual, planned).

Matching runs on the article in simplified characters, which has the same length as the text,
so a match's offsets cut the wording and the quote from the text as written."""
from __future__ import annotations

import re
from dataclasses import dataclass

from tui.data.numbers import first_number

_ARABIC = r"\d+(?:\.\d+)?"
_HANZI = r"[一二两三四五六七八九十百千]+几?|十几|几十"
_NUMBER = re.compile(
    r"(?P<before>近|约|大约|超过)?"
    rf"(?P<number>(?P<low>{_ARABIC})(?:\s*[—–\-~～至到]\s*(?P<high>{_ARABIC}))?|(?P<hanzi>{_HANZI}))"
    r"(?P<about>[余多几])?(?P<scale>[万亿](?!元/))?(?P<about2>[余多])?")

# Classifier → unit, longest first. None: the noun after it says (个 项目 → project, 个 村 → village).
_CLASSIFIERS: tuple[tuple[str, str | None], ...] = tuple(sorted({
    "元/人/月": "CNY/person/month", "元/人/年": "CNY/person/year", "元/月": "CNY/month", "元/年": "CNY/year",
    "元/人": "CNY/person", "元": "CNY",
    "%": "percent", "％": "percent", "人次": "person_time", "人口": "person", "人": "person", "名": "person",
    "位": "person", "户": "household", "场次": "times", "台次": "times", "批次": "times", "次": "times",
    "场": "times", "期": "times", "批": "times", "届": "times", "轮": "times", "倍": "times",
    "亩": "mu", "平方米": "m2", "公里": "km", "千米": "km", "头": "head", "株": "plant", "吨": "ton",
    "项": "item", "大类": "item", "类": "item", "张": "item", "篇": "item", "条": "item", "所": "item",
    "台": "item", "盏": "item", "口": "item", "对": "item", "件": "item", "座": "item", "套": "item",
    "处": "item", "支": "item", "方面": "item", "领域": "item", "种": "item",
    "个": None, "家": None, "大": None,
}.items(), key=lambda pair: -len(pair[0])))
# The noun after 个, 家 or a bare number, as the unit it counts.
_NOUNS = (("项目", "project"), ("村寨", "village"), ("贫困村", "village"), ("行政村", "village"), ("村", "village"),
          ("乡镇", "township"), ("街道", "township"), ("乡", "township"), ("镇", "township"),
          ("合作社", "enterprise"), ("企业", "enterprise"), ("公司", "enterprise"))
_NOUN = re.compile(r"[\u4e00-\u9fff]{1,10}")
_FACILITY = re.compile(r"站|点|中心|室|馆")
_AFTER_A_NOUN = "全都均的和及与加党共已"   # what may follow a noun phrase's head: a verb or a particle
_BEFORE_A_COUNT = re.compile(r"(?:基地|中心|站|点|室|馆|池|井)$")
_NOT_A_FIGURE_AFTER = re.compile(r"\s*(?:年(?!以上)|月|日|号|时|分|秒|岁|米|\+|个月|周)")
_ITEM_PLACES = ("医院", "医疗", "店", "学校")
_MONEY_WORDS = re.compile(r"资金|投资|投入|产值|税收|销售|补助|补贴|经费|捐|规模|预算|收入|元")
# Words of plans: before the number in its sentence (计划 not as in 《…培训计划》 or 计划内, 目标
# only as in 目标是/为/达到, not 围绕…目标), or after it (…的工作方案).
_PLANNED = re.compile(r"拟|计划(?![》内])|预计|规划|目标(?:是|为|达到)|将达|将实现|力争|争取|预期")
_PLANNED_AFTER = re.compile(r"^[^。；;!！?？\n]*?(?:方案|计划(?![》内]))")
_RATE_PERIOD = ((("月均", "每月"), "CNY/month"), (("年均", "每年"), "CNY/year"))


@dataclass(frozen=True)
class Mention:
    start: int          # where the wording starts in the article's text
    end: int
    number_at: int      # where the number itself starts
    value: float
    unit: str
    qualifier: str | None
    planned: bool


def mentions(reading: str, usable) -> list[Mention]:
    """Every figure in `reading` (the article in simplified characters) at a usable place."""
    found = []
    for match in _NUMBER.finditer(reading):
        mention = _mention(reading, match)
        if mention is not None and usable(mention.number_at, mention.end):
            found.append(mention)
    return found


def _mention(reading: str, match: re.Match) -> Mention | None:
    start, end = match.start(), match.end()
    number_at = match.start("number")
    before = reading[max(0, number_at - 1):number_at]
    if before and before in "第.0123456789+":
        return None
    if match["hanzi"] and not _hanzi_counts(match, reading):
        return None
    years_running = reading.startswith("年", end) and reading[max(0, number_at - 2):number_at] == "连续"
    if _NOT_A_FIGURE_AFTER.match(reading, end) and not years_running:
        return None
    unit, end = _unit(reading, match, end)
    if unit is None:
        return None
    suffix = re.match(r"以上|左右|多", reading[end:end + 2])
    if suffix:
        end += len(suffix.group())
    wording = reading[start:end]
    value = first_number(wording)
    if value is None:
        return None
    qualifier = ("range" if match["high"] else
                 "approx" if match["before"] or match["about"] or match["about2"] or suffix
                 or "几" in match["number"] else None)
    sentence_start = max(reading.rfind(mark, 0, start) for mark in "。；;!！?？\n")
    planned = bool(_PLANNED.search(reading, sentence_start + 1, start) or _PLANNED_AFTER.match(reading[end:end + 40]))
    return Mention(start, end, number_at, value, unit, qualifier, planned)


def _hanzi_counts(match: re.Match, reading: str) -> bool:
    """A Chinese numeral is a figure only with a scale or a classifier after it, and 一 alone
    only with a scale (一亿; not 一个 or 一是)."""
    if match["scale"]:
        return True
    number = match["number"]
    if number == "一" or (number == "千" and not match["before"]):
        return False
    rest = reading[match.end():match.end() + 4]
    return any(rest.startswith(word) for word, _ in _CLASSIFIERS if word not in ("大",)) or (
        reading[max(0, match.start() - 2):match.start()] == "连续" and rest.startswith("年"))


def _unit(reading: str, match: re.Match, end: int) -> tuple[str | None, int]:
    """The unit the classifier after the number names, and where the wording ends."""
    if reading.startswith("年", end):
        return "year", end + 1
    for word, unit in _CLASSIFIERS:
        if reading.startswith(word, end):
            end += len(word)
            if unit is None:
                unit, end = _counted(reading, match, word, end)
            elif unit.startswith("CNY"):
                unit = _money_rate(reading, match.start(), end, unit)
            return unit, end
    noun = _NOUN.match(reading, end)
    if noun and noun.group().endswith("村") and not match["scale"]:
        return "village", noun.end()
    before = reading[max(0, match.start() - 20):match.start()]
    if before.endswith(("降至", "降到", "降为", "下降到")) and "%" in before:   # 由16.8%降至0: a percentage too
        return "percent", end
    if match["scale"] or match["high"]:
        around = reading[max(0, match.start() - 20):end + 12]
        if _MONEY_WORDS.search(around):
            return _money_rate(reading, match.start(), end, "CNY"), end
    return None, end


def _counted(reading: str, match: re.Match, classifier: str, end: int) -> tuple[str | None, int]:
    noun = _NOUN.match(reading, end)
    phrase = noun.group() if noun else ""
    if classifier == "大" and not phrase:
        return None, end
    if classifier == "个" and phrase.startswith("月"):
        return None, end
    for word, unit in _NOUNS:
        # The noun's head: the word it begins with (个贫困村全部…), unless a facility follows
        # (个乡镇电子商务服务站), or the word it ends with (个产业发展项目).
        if phrase.startswith(word) and not _FACILITY.search(phrase, len(word)):
            return unit, end + len(word)
        head = re.search(rf"{word}(?=$|[{_AFTER_A_NOUN}])", phrase) or (
            unit == "enterprise" and re.search(word, phrase[:6]))     # 个专业合作社开展…
        if head:
            return unit, end + head.end()
    if classifier == "家":
        return ("item" if any(word in phrase for word in _ITEM_PLACES) else "enterprise"), end
    if classifier == "个" and not phrase and not _BEFORE_A_COUNT.search(reading, 0, match.start()) \
            and "项目" in _sentence_before(reading, match.start()):
        return "project", end
    return "item", end


def _sentence_before(reading: str, start: int) -> str:
    """The sentence up to `start`, and the one before when this one begins 其中 (its parts)."""
    begin = max(reading.rfind(mark, 0, start) for mark in "。\n") + 1
    if reading.startswith("其中", begin) and begin > 1:
        begin = max(reading.rfind(mark, 0, begin - 1) for mark in "。\n") + 1
    return reading[begin:start]


def _money_rate(reading: str, start: int, end: int, unit: str) -> str:
    """元 as money or as a rate: per month or year (元/月, 月均, 每年), per head (人均, 每人, a wage,
    a subsidy given: 给予…的补贴)."""
    before, after = reading[max(0, start - 12):start], reading[end:end + 8]
    per_head = (any(word in before for word in ("人均", "每人", "工资"))
                or "给予" in before and any(word in after for word in ("补贴", "补助", "奖励")))
    if unit == "CNY":
        unit = next((rate for words, rate in _RATE_PERIOD if any(word in before for word in words)), unit)
        if per_head and unit == "CNY" and "收入" in before:
            unit = "CNY/year"
    if per_head and "/person" not in unit:
        unit = unit.replace("CNY", "CNY/person", 1)
    return unit
