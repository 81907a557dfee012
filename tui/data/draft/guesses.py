"""What a figure is about, guessed from the words around its number: its measure, its sector and
its year. Each guess says why, for the `-- why:` comment the curator reads."""
from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = re.compile(r"((?:19|20)\d\d)(?:\s*年|[、—–-](?:19|20)\d\d\s*年)")   # 2016、2017年, 2018—2020年: from the first


@dataclass(frozen=True)
class Guess:
    value: str | int | None
    why: str


# (words, measure): for money, the word nearest before the number wins; for people, households
# and villages, the first entry with a word in the clause around the number.
_MONEY_MEASURES = ((("捐", "慰问金", "慰问物资", "社会帮扶", "社会扶帮"), "donation"),
                   (("销售", "交易额", "营业额"), "sales"),
                   (("人均", "纯收入", "工资", "增收"), "income"), (("补助", "补贴", "标准", "价格"), "price"),
                   (("产值", "收益", "税收", "效益", "旅游总收入", "收入"), "output"),
                   (("引进", "撬动", "协议", "签订", "盘活", "企业", "公司"), "investment"))
_PEOPLE_MEASURES = ((("脱贫", "摘帽", "退出", "出列"), "poverty_exit"),
                    (("选派", "派出", "派驻", "派遣", "互派", "挂职", "支教", "援藏干部", "援藏老师"), "cadres_sent"),
                    (("培训", "培养", "辅导", "参训"), "trained"),
                    (("就业", "务工", "转移"), "employed"),
                    (("受益", "带动", "帮扶", "结对", "受助", "惠及", "捐助", "慰问", "覆盖", "改善", "实施"),
                     "beneficiaries"))
_SECTORS = ((("学校", "教育", "教师", "学生", "助学", "支教", "老师", "学费"), "education"),
            (("医", "卫生", "健康", "病"), "health"),
            (("就业", "劳务", "岗位", "招聘", "求职", "务工"), "employment"),
            (("培训", "干部", "人才", "挂职"), "training"),
            (("旅游", "民宿"), "tourism"),
            (("电商", "电子商务", "销售", "消费", "展销", "物流", "上架"), "commerce"),
            (("种植", "养殖", "中药材", "中藏药", "农业", "农牧", "黄芪", "贝母", "猪", "羊", "驴"), "agriculture"),
            (("住房", "人居", "房屋", "危房"), "housing"),
            (("道路", "村道", "水利", "水渠", "便道", "蓄水池", "机井", "涵洞", "路灯", "基础设施"), "infrastructure"),
            (("捐", "慰问", "结对认亲", "爱心", "济困"), "social"),
            (("党建", "党组织", "党支部", "联席会议", "互访"), "governance"),
            (("基金", "金融", "贷款"), "finance"),
            (("生态", "环境保护"), "ecology"),
            (("文化", "文艺"), "culture"),
            (("产业", "企业", "招商", "园区", "加工", "公司"), "industry"))


def measure(unit: str, before: str, after: str, sentence: str) -> Guess:
    """The measure of a figure in `unit`, from the words around its number in its sentence."""
    if unit == "percent":
        if "贫困发生率" in sentence:
            return Guess("poverty_rate", "the sentence speaks of 贫困发生率")
        return Guess("rate", "a percentage")
    if unit.startswith("CNY/"):
        found = _first(((("收入", "增收", "工资"), "income"),), before) or ("price", "")
        return Guess(found[0], f"a rate{f' of {found[1]}' if found[1] else ''}")
    if unit == "CNY":
        found = _first(_MONEY_MEASURES, before)
        return Guess(*found) if found else Guess("aid_funds", "money, with no word of investment, sales or gifts")
    if unit in ("mu", "m2", "km"):
        return Guess("area", "an area or a length")
    if unit == "year":
        return Guess("duration", "a number of years")
    if unit in ("person", "person_time", "household", "village"):
        around = before[-24:] + after[:12]
        for words, value in _PEOPLE_MEASURES:
            word = next((word for word in words if word in around), None)
            if word:
                return Guess(value, f"«{word}» beside the number")
    return Guess("count", "a count")


def sector(sentence: str) -> Guess:
    found = _first(_SECTORS, sentence)
    return Guess(*found) if found else Guess(None, "no sector's words in the sentence")


def year(before: str, after: str, paragraph_before: str, article_year: int | None) -> Guess:
    """The last year the sentence names before the number, else one after it, else 去年/今年
    against the article's date, else the last year its paragraph named before it."""
    for text, which, where in ((before, -1, "the sentence"), (after, 0, "the sentence")):
        named = _YEAR.findall(text)
        if named:
            return Guess(int(named[which]), f"{where} names {named[which]}年")
    for word, offset in (("去年", -1), ("今年", 0), ("前年", -2)):
        if word in before and article_year is not None:
            return Guess(article_year + offset, f"{word}, against the article's date {article_year}")
    named = _YEAR.findall(paragraph_before)
    if named:
        return Guess(int(named[-1]), f"the paragraph named {named[-1]}年 before it")
    return Guess(None, "neither the sentence nor its paragraph names a year")


def _first(table, text: str) -> tuple[str, str] | None:
    """The (value, why) of the entry whose word stands last in `text`: the nearest to the number."""
    best, best_at = None, -1
    for words, value in table:
        for word in words:
            at = text.rfind(word)
            if at > best_at:
                best, best_at = (value, f"«{word}» before the number"), at
    return best
