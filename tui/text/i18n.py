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
    "show {count} more · each page sorted on its own": "再显示 {count} 项 · 每页各自排序",
    "show {count} before": "显示前面的 {count} 项",
    "show {count} before · each page sorted on its own": "显示前面的 {count} 项 · 每页各自排序",
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
    "These sums are as they stood before other programs' changes: being updated…": "这些合计是其他程序修改之前的数字，正在更新…",
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
    "Back": "后退",
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
    # keys of the app (the footer's short words, the help's sentences)
    "Duikou's keys": "对口的按键",
    "Other keys": "其他按键",
    "↑ ↓ PgUp PgDn scroll, Esc closes": "↑ ↓ PgUp PgDn 滚动，Esc 关闭",
    "Every key, Duikou's first": "列出全部按键，对口自己的在前",
    "Search: results follow your typing; Enter goes to the item in the tree":
        "搜索：结果随输入更新；回车跳到树中该项",
    "Pivot: donor → recipient → sector order, and round again": "切换顺序：援助方 → 受援方 → 领域，循环",
    "Sort": "排序",
    "Sort every family by name (pinyin), by money or by projects": "各级按名称（拼音）、资金或项目数排序",
    "By name (pinyin)": "按名称（拼音）",
    "By money, largest first": "按资金，从多到少",
    "By projects, most first": "按项目数，从多到少",
    "Copy": "复制",
    "Copy the selected item's citation (figures, quotes, documents)": "复制所选项的出处（数据、原文、文献）",
    "Export the selected node to a markdown report in this folder": "把所选节点导出为 Markdown 报告，存到当前文件夹",
    "Reload after the database changed on disk": "数据库文件改动后重新加载",
    "Forward": "前进",
    "Back to the node visited before": "回到之前访问的节点",
    "Forward again, after going back": "后退之后再前进",
    "Nowhere further to go.": "没有更多可去的位置。",
    "Parent": "上级",
    "Go to the parent node": "回到上级节点",
    "Sort pairings": "排序对口表",
    "Sort the table of pairings by that column (again: reverse)": "按该列给对口关系表排序（再按一次：倒序）",
    "The table of pairings is the detail of “All pairings”, at the top of the tree.":
        "对口关系表在树顶端“全部对口帮扶”的详情中。",
    "Scroll the pane": "滚动详情",
    "Page the pane": "详情翻页",
    "Next part": "下一部分",
    "Previous part": "上一部分",
    "Move between the tree, the pane and the pairings table": "在树、详情和对口关系表之间切换",
    # the command palette: Textual's own commands, and the word before an action's key
    "key": "按键",
    "Theme": "主题",
    "Change the current theme": "更换配色主题",
    "Quit the application as soon as possible": "立即退出程序",
    "Show help for the focused widget and a summary of available keys": "显示当前部件的帮助和可用按键",
    "Hide the keys and widget help panel": "隐藏按键和帮助面板",
    "Maximize": "最大化",
    "Maximize the focused widget": "最大化当前部件",
    "Minimize": "还原",
    "Minimize the widget and restore to normal size": "把部件还原为正常大小",
    "Screenshot": "截图",
    "Save an SVG 'screenshot' of the current screen": "把当前屏幕保存为 SVG 截图",
    "Press q to quit.": "按 q 退出。",
    "Do you want to quit?": "要退出吗？",
    # Textual's own keys, as the help lists them
    "Focus Next": "下一部分",
    "Focus Previous": "上一部分",
    "Copy selected text": "复制所选文字",
    "Select": "选择",
    "Cursor Up": "上移",
    "Cursor Down": "下移",
    "Cursor up": "上移",
    "Cursor down": "下移",
    "Cursor left": "左移",
    "Cursor right": "右移",
    "Page up": "上一页",
    "Page down": "下一页",
    "Top": "顶部",
    "Bottom": "底部",
    "Home": "开头",
    "End": "末尾",
    "First": "第一项",
    "Last": "最后一项",
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
    "and {count} more figures": "另有 {count} 个数据",
    "and {count} more quotes": "另有 {count} 条引文",
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
    # the command line: its help (argparse's own words too) and the messages met in normal use
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "commands": "命令",
    "{prog}: error: {message}": "{prog}：错误：{message}",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "Browse China's paired poverty-alleviation assistance, every figure sourced.":
        "浏览中国对口帮扶数据，每个数字都有出处。",
    "database file (default: the bundled data, kept in your user data folder)":
        "数据库文件（默认：随附数据，存放在用户数据文件夹中）",
    "interface language (default: from the locale)": "界面语言（默认：按系统区域设置）",
    "the app's export key writes no file (as `duikou serve --no-export` runs it)":
        "程序的导出键不写文件（与 `duikou serve --no-export` 相同）",
    "build a fresh database from the bundled schema and seed": "用随附的结构和数据新建数据库",
    "build a new database of the bundled data plus N made-up projects": "新建数据库：随附数据加 N 个虚构项目",
    "propose an article's figures as SQL to check and `duikou load`": "从文章中提取数据，写成待核对的 SQL，供 `duikou load` 载入",
    "apply a SQL file in one transaction: all of it, or nothing": "在一个事务中执行 SQL 文件：要么全部载入，要么全不载入",
    "print what matches a query, without opening the app": "不打开程序，直接打印与查询匹配的内容",
    "print one item with its figures and their sources": "打印一项及其数据和出处",
    "write the data set, or one node of the tree, with its sources": "导出数据集或树中的一个节点，附带出处",
    "time start-up, search, the tree and roll-ups on a database, against the budgets":
        "在数据库上测量启动、搜索、树和汇总的耗时，并与预算比较",
    "look for damage, orphaned rows, figures their quotes do not bear out, and a search index out of step; "
    "exit 1 if anything is wrong": "检查损坏、孤立的行、原文不支持的数据、过时的搜索索引；有问题时退出码为 1",
    "print metadata for Datasette: descriptions, units, labels, search tables": "打印 Datasette 元数据：说明、单位、标签、搜索表",
    "create or rebuild the tables Datasette's search box uses": "创建或重建 Datasette 搜索框所用的表",
    "run the app in a web browser": "在网页浏览器中运行程序",
    "Build a fresh database from the bundled schema and seed.": "用随附的结构和数据新建数据库。",
    "the new database file (must not exist)": "新数据库文件（不得已存在）",
    "Build a new database: the bundled data plus N made-up projects, to try Duikou at national scale.":
        "新建数据库：随附数据加 N 个虚构项目，用于在全国规模上试用对口。",
    "how many made-up projects": "虚构项目的数量",
    "the same seed gives the same database (default 0)": "相同的种子生成相同的数据库（默认 0）",
    "Propose an article's figures (value, unit, qualifier, basis, year, a verbatim quote, a guessed home) "
    "as an SQL file that `duikou load` accepts as it is.":
        "从文章中提取数据（数值、单位、限定、依据、年份、原文引语、推测的归属），写成 `duikou load` 可直接载入的 SQL 文件。",
    "the article's text (UTF-8 unless --encoding says otherwise)": "文章文本（UTF-8，除非用 --encoding 另行指定）",
    "the document's key (default: the article's file name)": "文献的键（默认：文章的文件名）",
    "where to write the SQL (default: the article's name with .sql, here); never overwritten":
        "SQL 的写入位置（默认：当前文件夹中与文章同名的 .sql 文件）；从不覆盖",
    "the article's encoding, e.g. gb18030 (default utf-8)": "文章的编码，例如 gb18030（默认 utf-8）",
    "review each figure in the app (accept, reject, change its home…) before writing":
        "写入前在程序中逐个审核数据（接受、拒绝、更改归属…）",
    "a UTF-8 file of SQL statements (INSERT …)": "UTF-8 编码的 SQL 语句文件（INSERT …）",
    "one JSON object per result, in a list": "每条结果一个 JSON 对象，放在一个列表里",
    "with --json: one object, the total the query asks for (or null) as `answer` and the list as `results`":
        "与 --json 同用：输出一个对象，`answer` 是查询所问的合计（或 null），`results` 是结果列表",
    "at most this many results (default 20)": "最多显示这么多条结果（默认 20）",
    "an id as `duikou search` prints it (project:ID, place:ID, document:KEY …)":
        "`duikou search` 打印的编号（project:ID、place:ID、document:KEY …）",
    "the item as one JSON object": "以一个 JSON 对象输出该项",
    "csv: a row per figure, UTF-8 with a byte-order mark for Excel; xlsx: the csv's rows as an Excel workbook; "
    "json: nested; jsonl: a row per figure as JSON lines; markdown: a report; iati: IATI 2.03 activity XML; "
    "iati-json: the IATI activities as JSON (default csv)":
        "csv：每个数据一行，带字节顺序标记的 UTF-8，便于 Excel 打开；xlsx：与 csv 相同的行，Excel 工作簿；"
        "json：嵌套结构；jsonl：每个数据一行 JSON；markdown：报告；iati：IATI 2.03 活动 XML；"
        "iati-json：JSON 格式的 IATI 活动（默认 csv）",
    "only this node, as the tree shows it: donor/recipient/sector/project (e.g. 青白江区/九龙县/education), "
    "a unique name alone (九龙县), or a project's #ID":
        "只导出此节点，写法同树：援助方/受援方/领域/项目（如 青白江区/九龙县/education），唯一的名称（九龙县），或项目的 #ID",
    "write to FILE (default: standard output)": "写入 FILE（默认：标准输出）",
    "replace FILE if it exists": "FILE 已存在时替换它",
    "the measurements as one JSON object": "以一个 JSON 对象输出测量结果",
    "cold starts to time (default 5); more for the rest": "计时的冷启动次数（默认 5）；其余测量次数更多",
    "also check every quote of the documents whose files are in DIR against their text":
        "另外用 DIR 中的文献文件核对其每条原文引语",
    "remove them instead (they grow with the data)": "改为删除这些表（它们随数据增长）",
    "address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the network)":
        "监听的地址（默认 127.0.0.1；0.0.0.0 对网络开放）",
    "port to listen on (default 8000)": "监听的端口（默认 8000）",
    "at most N browser sessions at once, one app process each (default 8)":
        "同时最多 N 个浏览器会话，每个一个程序进程（默认 8）",
    "browse only: the app's export key writes no file": "只浏览：程序的导出键不写文件",
    # `duikou search` and `duikou show`
    "nothing matches {query}": "没有与 {query} 匹配的内容",
    "{shown} of {total} matching every term": "{total} 条包含全部词语的结果中的 {shown} 条",
    "nothing matches every term": "没有结果包含全部词语",
    "{count} more: --limit {limit}": "另有 {count} 条：--limit {limit}",
    "there is no {kind} {ref} in {database}": "{database} 中没有 {kind} {ref}",
    # totals (tui/text/totals.py and the detail pane)
    "{total}, and {beside} that may be part of it": "{total},另有 {beside} 或已含在内",
    "{beside} that may be part of a total": "{beside} 或已含在某一总数内",
    "adds {count} figures": "加总 {count} 个数据",
    "not assigned to a sector": "未分到领域",
    "Only money reported for a single year is shown by year; {value} of the total spans years or gives none.":
        "按年份只列单一年份的资金;总数中 {value} 跨年或未注年份。",
    # the fact sheet (tui/browser/widgets/detail_pane.py, sources.py, screens/document.py, filter.py)
    "{count} project": "{count} 个项目",
    "and {count} more figure": "另 {count} 个数据",
    "and {count} more figure, not listed here": "另 {count} 个数据未列出",
    "and {count} more figures, not listed here": "另 {count} 个数据未列出",
    "no money recorded": "没有资金记录",
    "no status": "状态不明",
    "largest report": "最大一次报道",
    "Poverty rate": "贫困发生率",
    "Other totals": "其他合计",
    "no year": "未注年份",
    "all years": "全部年份",
    "actual and planned": "实际与计划",
    "actual only": "仅实际",
    "planned only": "仅计划",
    "Showing {what} (f: filter)": "显示:{what}(f 筛选)",
    "Open document": "打开文献",
    "Filter years and basis": "按年份和口径筛选",
    "Filter": "筛选",
    "Filter the sums by year (all, or one) and basis (actual, planned or both)": "按年份（全部或某一年）和口径（实际、计划或两者）筛选合计",
    "Basis": "口径",
    "Document": "文献",
    "Publisher": "发布者",
    "Author": "作者",
    "Published": "日期",
    "Figures citing it ({count})": "引用它的数据({count})",
    "Projects citing it ({count})": "引用它的项目({count})",
    "m: show {count} more": "m:再显示 {count} 个",
    "{shown} of {count}": "{count} 个中的 {shown} 个",
    "Show more": "显示更多",
    "The next figures and projects citing the document": "引用该文献的下一批数据和项目",
    "Go to a document": "打开文献",
    "{count} figure recorded here": "此处记录的 {count} 个数据",
    "{count} figures recorded here": "此处记录的 {count} 个数据",
    "Lifted": "脱贫",
    "Cadres": "干部",
}

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


def counted(count: int, one: str, many: str) -> str:
    """`1 project`, `20,164 projects`: the label for one or for many, the count with thousands separators."""
    return tr(one if count == 1 else many, count=f"{count:,}")
