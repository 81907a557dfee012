"""iati-json: the IATI activities of `iati`, element for element, as JSON: an element is an object
of its attributes, its text as "text", and a list for each kind of child element."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from tui.export.common import Export
from tui.export.iati import NAMESPACE, XML_LANG, activities, generated
from tui.text.format import terminal_safe_json

_PREFIXES = {f"{{{NAMESPACE}}}": "duikou:", XML_LANG.removesuffix("lang"): "xml:"}


def _name(tag: str) -> str:
    for long, short in _PREFIXES.items():
        if tag.startswith(long):
            return short + tag.removeprefix(long)
    return tag


def as_json(node: ET.Element) -> dict:
    record: dict = {_name(key): value for key, value in node.attrib.items()}
    if node.text is not None:
        record["text"] = node.text
    for child in node:
        record.setdefault(_name(child.tag), []).append(as_json(child))
    return record


def write(export: Export, out: TextIO) -> None:
    out.write('{"iati-activities": {"version": "2.03", "generated-datetime": ' + terminal_safe_json(generated())
              + ', "duikou:node": ' + terminal_safe_json(export.title) + ',\n "iati-activity": [')
    separator = "\n"
    for activity in activities(export):
        out.write(separator + terminal_safe_json(as_json(activity)))
        separator = ",\n"
    out.write("]}}\n")
