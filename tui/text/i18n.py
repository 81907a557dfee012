"""The interface's labels in English and Chinese.

Labels are written in English in the code and looked up here, gettext-style: `tr("Quit")` is
"Quit" or "退出". One language is active for the whole process (the app sets it when it starts).
"""
from __future__ import annotations

import os

LANGUAGES = ("en", "zh")

ZH: dict[str, str] = {
    # the tree, header and status line
    "All pairings": "全部对口帮扶",
    "loading…": "加载中…",
    "show {count} more": "再显示 {count} 项",
    "{count} projects": "{count} 个项目",
    "{pairings} pairings · {projects} projects · {figures} figures · {documents} documents":
        "{pairings} 对帮扶 · {projects} 个项目 · {figures} 个数据 · {documents} 篇文献",
    "order": "顺序",
    "donor": "援助方",
    "recipient": "受援方",
    "sector": "领域",
    "project": "项目",
    # the pairings table
    "Donor": "援助方",
    "Recipient": "受援方",
    "Kind": "类型",
    "Years": "年份",
    "Money": "资金",
    "Cadres sent": "选派干部",
    "Projects": "项目",
    "Lifted out of poverty": "脱贫人口",
    # the detail pane
    "Place": "所在地",
    "Totals": "合计",
    "adds figures": "加总数据",
    "leaves out": "未计入",
    "and {count} more": "等，另 {count} 个",
    "parts of a total it adds": "其总数已计入",
    "nothing to add": "无可加总数据",
    "Figures": "数据",
    "Money by sector": "按领域分资金",
    "Money by year": "按年度分资金",
    "Outcomes over time": "历年成效",
    "Pairings": "对口关系",
    "Evidence": "来源",
    "no source": "无来源",
    "part of": "属于",
    "Sector": "领域",
    "Implementer": "实施单位",
    "Status": "状态",
    "Amount": "金额",
    "Description": "说明",
    "base": "基地",
    "fund": "基金",
    "programme": "专项",
    "plan": "规划",
    "campaign": "行动",
    "event": "活动",
    "training": "培训",
    "other": "其他",
    "planned": "计划",
    "underway": "在建",
    "completed": "已完成",
    "No figures recorded here.": "此处没有记录数据。",
    "Nothing to copy here.": "此处没有可复制的内容。",
    "Copied": "已复制",
    "Reloaded": "已重新加载",
    "Sums being updated with other programs' changes": "正在按其他程序的修改更新合计",
    # keys
    "Keys": "按键",
    "Key": "键",
    "Action": "功能",
    "Help": "帮助",
    "Quit": "退出",
    "Pivot": "切换顺序",
    "Copy citation": "复制出处",
    "Reload": "重新加载",
    "Export": "导出",
    "Exported to {path}": "已导出到 {path}",
    "Back": "返回上级",
    "Open": "展开",
    "Close": "关闭",
    "Down": "下移",
    "Up": "上移",
    "Collapse or go to parent": "收起或回到上级",
    "Expand": "展开下级",
    "Toggle": "展开/收起",
    "Cursor to parent": "移到上级",
    "Cursor to next ancestor": "移到上级的下一项",
    "Cursor to previous sibling": "移到上一同级项",
    "Cursor to next sibling": "移到下一同级项",
    "Expand or collapse all": "全部展开/收起",
    "palette": "命令面板",
    "Scroll Up": "向上滚动",
    "Scroll Down": "向下滚动",
    "Scroll Left": "向左滚动",
    "Scroll Right": "向右滚动",
    "Scroll Home": "滚到顶部",
    "Scroll End": "滚到底部",
    "Page Up": "上一页",
    "Page Down": "下一页",
    "Page Left": "左翻页",
    "Page Right": "右翻页",
    "Command palette": "命令面板",
    # search
    "Search": "搜索",
    "Next result": "下一条结果",
    "Previous result": "上一条结果",
    "Go to": "跳转",
    "Search names, pinyin, figures…": "搜索名称、拼音、数据…",
    "Type to search.": "输入以搜索。",
    "{count} results": "{count} 条结果",
    "No results.": "没有结果。",
    "{shown} of {total} results": "{total} 条结果中的 {shown} 条",
    "{shown} of {total}+ results": "{total} 条以上结果中的 {shown} 条",
    "nothing matches every word; closest:": "没有结果包含全部词语；最接近的：",
    "not matched": "未匹配",
    "Sectors": "领域",
    "Chosen figure": "所选数据",
    "description": "说明",
    "“{name}” has no place in the tree.": "“{name}”在树中没有对应位置。",
    "Places": "地点",
    "Organisations": "机构",
    "People": "人物",
    "Documents": "文献",
    "exact name": "名称完全匹配",
    "name prefix": "名称开头",
    "name": "名称",
    "pinyin": "拼音",
    "initials": "拼音首字母",
    "english": "英文名",
    "number": "数值",
    "context": "地点/年份/领域",
    "evidence": "原文",
    # totals (tui/text/totals.py and the detail pane)
    "{total}, and {beside} that may be part of it": "{total},另有 {beside} 或已含在内",
    "{beside} that may be part of a total": "{beside} 或已含在某一总数内",
    "adds {count} figures": "加总 {count} 个数据",
    "not assigned to a sector": "未分到领域",
    "Only money reported for a single year is shown by year; {value} of the total spans years or gives none.":
        "按年份只列单一年份的资金;总数中 {value} 跨年或未注年份。",
} | {f"Sort by column {n}": f"按第 {n} 列排序" for n in range(1, 10)}

_language = "en"


def default_language() -> str:
    """Chinese when the locale asks for it (LC_ALL, then LC_MESSAGES, then LANG), else English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str | None) -> str:
    global _language
    _language = lang if lang in LANGUAGES else default_language()
    return _language


def language() -> str:
    return _language


def tr(english: str, **values: object) -> str:
    """The label in the active language, with `{name}` fields filled from `values`."""
    text = ZH.get(english, english) if _language == "zh" else english
    return text.format(**values)
