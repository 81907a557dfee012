"""Candidate projects: the named bases, programmes and funds an article speaks of («…», …基地,
…工程, …项目), each at the sentence that names it."""
from __future__ import annotations

import re
from dataclasses import dataclass

_KINDS = (("基地", "base"), ("基金", "fund"), ("工程", "project"), ("项目", "project"), ("中心", "project"),
          ("规划", "plan"), ("计划", "plan"), ("方案", "plan"), ("行动", "campaign"), ("活动", "campaign"),
          ("培训班", "training"), ("节", "event"))
_SUFFIX = "|".join(word for word, _ in _KINDS)
_BUILT_SUFFIX = "|".join(word for word, kind in _KINDS if kind not in ("campaign", "event"))
_NAMED = re.compile(
    rf"[《«](?P<title>[^》»\n]{{2,30}})[》»]"
    rf"|“(?P<quoted>[^”\n]{{2,20}})”(?P<quoted_kind>{_SUFFIX})"
    rf"|(?:建设|建成|设立|成立|实施|打造|新建|举办)了?(?:[\d.]+万元)?"
    rf"(?P<built>[\u4e00-\u9fff、]{{2,14}}?(?:{_BUILT_SUFFIX}))(?![\u4e00-\u9fff])")
# A kind of project, not one project: 对口帮扶项目, 产业发展类项目.
_GENERIC = re.compile(r"类项目$|^(?:对口帮扶|帮扶|扶贫|协作|扶贫协作)项目$")


@dataclass(frozen=True)
class ProjectMention:
    name: str
    kind: str
    start: int
    end: int


def project_mentions(reading: str, text: str, usable) -> list[ProjectMention]:
    """Each project `reading` (simplified) names, once, with its name as `text` writes it."""
    found, seen = [], set()
    for match in _NAMED.finditer(reading):
        group = next(name for name in ("title", "quoted", "built") if match[name])
        start, end = match.span(group)
        if group == "quoted":
            start, end = match.start(), match.end("quoted_kind")
        name = text[start:end]
        generic = group == "built" and _GENERIC.search(reading[start:end])
        if name in seen or generic or not usable(start, end):
            continue
        seen.add(name)
        kind = next((kind for word, kind in _KINDS if name.endswith(word)), "programme" if group == "title" else "project")
        found.append(ProjectMention(name, kind, start, end))
    return found
