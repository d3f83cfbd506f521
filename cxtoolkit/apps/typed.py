"""A slider whose value can also be typed, in the page's language, and is refused — never
clipped — outside the slider's range.

A browser's slider readout clamps what is typed to its bounds without a word (an executive
who types 150 in a field bounded at 100 would see 100): the slider shows no readout, and a
text field beside it is read by :func:`cxtoolkit.rules.parse_value` with the slider's
bounds (``lo`` / ``hi``), the rule the ROI simulator's fields follow. A refused value is said
in one line (``label : reason``, through ``on_refused``) and the field shows the value in use
again; a value in range moves the slider, and the slider moved writes its value in the field.

Examples
--------
>>> import ipywidgets as W
>>> said = []
>>> s = W.IntSlider(value=0, min=-10, max=10, description="Agents ±")
>>> box = typed_slider(s, "en", said.append, name="offset")
>>> field = box.children[1]
>>> field.value = "150"
>>> s.value, field.value, said
(0, '0', ['Agents ±: must be between -10 and 10, got 150'])
>>> field.value = "+3"
>>> s.value, field.value
(3, '3')
>>> s.value = -2
>>> field.value
'-2'
"""
from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W

from cxtoolkit.errors import InputError
from cxtoolkit.messages import text
from cxtoolkit.rules import format_value, parse_value

__all__ = ["typed_slider"]


def _shown(value, loc: str, whole: bool) -> str:
    return format_value(value, "number", loc, decimals=0 if whole else 1)


def typed_slider(slider: W.IntSlider | W.FloatSlider, loc: str, on_refused: Callable[[str], None],
                 name: str = "", width: str = "70px") -> W.HBox:
    """``slider`` (its readout turned off) and a text field for typing its value: an
    ``HBox`` of both. ``on_refused(line)`` receives the one line that says why a typed value
    is refused (the field's label, then :func:`cxtoolkit.rules.parse_value`'s reason in
    ``loc``); the field then shows the slider's value again. The field has the classes
    ``cx-typed`` and ``cx-typed-<name>``."""
    whole = isinstance(slider.value, int)
    slider.readout = False
    field = W.Text(value=_shown(slider.value, loc, whole), continuous_update=False, layout=W.Layout(width=width))
    field.add_class("cx-typed")
    if name:
        field.add_class(f"cx-typed-{name}")
    quiet = [False]

    def show(value) -> None:
        quiet[0] = True
        try:
            field.value = _shown(value, loc, whole)
        finally:
            quiet[0] = False

    def typed(change) -> None:
        if quiet[0]:
            return
        try:
            value = parse_value(change["new"], "number", loc, lo=slider.min, hi=slider.max, whole=whole)
        except InputError as exc:
            on_refused(text("common.labelled", loc, label=slider.description, value=exc.render(loc)))
            return show(slider.value)
        value = int(value) if whole else float(value)
        if value == slider.value:
            return show(value)          # "+3" read as 3: the field writes it as the page does
        slider.value = value            # the slider's observer writes the field

    field.observe(typed, names="value")
    slider.observe(lambda change: show(change["new"]), names="value")
    return W.HBox([slider, field], layout=W.Layout(align_items="center"))
