"""Key bindings whose descriptions (in the footer and the help) are in the interface's language."""
from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap

from tui.text.i18n import tr


def translated_bindings(bindings: BindingsMap) -> BindingsMap:
    """A widget's key bindings with their descriptions in the active language.

    Textual reads BINDINGS when a class is defined, before the language is known, so each
    widget swaps in translated copies when it is created.
    """
    return BindingsMap.from_keys({key: [replace(binding, description=tr(binding.description))
                                        for binding in group]
                                  for key, group in bindings.key_to_bindings.items()})
