"""Fields whose value is typed, in the page's language, and refused — never clipped — when
it cannot be read or falls outside its range: a slider's value, a day of the period bar.

A browser's slider readout clamps what is typed to its bounds without a word (an executive
who types 150 in a field bounded at 100 would see 100), and its date input is written in the
*browser's* language (``mm/dd/yyyy`` on an English laptop showing a French page): the value
is held by a widget the page does not show for typing (the slider without its readout, a
``DatePicker`` not displayed) and a text field beside it is read by the page's own rule —
:func:`cxtoolkit.rules.parse_value` with the slider's bounds (``lo`` / ``hi``);
:func:`cxtoolkit.rules.parse_day` with the picker's ``min`` /
``max``. A refused value is said in one line (``label : reason``, through ``on_refused``) and
the field shows the value in use again; a value in range sets the holder, and the holder set
writes its value in the field (:func:`typed_field`, the one mechanism of both, and of the ROI
simulator's fields: money with its currency, rates typed in percent).

Examples
--------
>>> import datetime as dt
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
>>> d = W.DatePicker(value=dt.date(2026, 10, 1), description="Du", min=dt.date(2026, 9, 1), max=dt.date(2026, 10, 31))
>>> day = typed_day(d, "fr", said.append, name="start")
>>> day.value, day.description
('01/10/2026', 'Du')
>>> day.value = "31/10/2026"
>>> d.value
datetime.date(2026, 10, 31)
>>> day.value = "31/11/2026"
>>> d.value, day.value, said[-1]
(datetime.date(2026, 10, 31), '31/10/2026', "Du : « 31/11/2026 » n'est pas une date (exemple : 31/10/2026)")
"""
from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W

from cxtoolkit.errors import InputError
from cxtoolkit.messages import text
from cxtoolkit.rules import day_text, format_value, parse_day, parse_value

__all__ = ["typed_field", "typed_slider", "typed_day"]


def _shown(value, loc: str, whole: bool) -> str:
    return format_value(value, "number", loc, decimals=0 if whole else 1)


def typed_field(holder: W.ValueWidget, loc: str, on_refused: Callable[[str], None],
                shown: Callable[[object], str], read: Callable[[str], object], name: str = "",
                width: str = "70px", description: str = "",
                on_read: Callable[[object], None] | None = None) -> W.Text:
    """A text field that types ``holder``'s value: ``read(text)`` (raising
    :class:`~cxtoolkit.errors.InputError` to refuse it) sets ``holder.value``; ``shown(value)``
    writes the holder's value in the field, at the start and whenever it changes.
    ``on_refused(line)`` receives the one line that says why a typed value is refused
    (``holder``'s label, then the error in ``loc``); the field then shows the holder's value
    again. ``on_read(value)``, when given, is called with each value read, before the holder
    is set (even to the value it holds): e.g. to take down the line of an earlier refusal.
    The field has the classes ``cx-typed`` and ``cx-typed-<name>``."""
    field = W.Text(value=shown(holder.value), continuous_update=False, description=description,
                   layout=W.Layout(width=width))
    field.add_class("cx-typed")
    if name:
        field.add_class(f"cx-typed-{name}")
    quiet = [False]

    def show(value) -> None:
        quiet[0] = True
        try:
            field.value = shown(value)
        finally:
            quiet[0] = False

    def typed(change) -> None:
        if quiet[0]:
            return
        try:
            value = read(change["new"])
        except InputError as exc:
            on_refused(text("common.labelled", loc, label=holder.description, value=exc.render(loc)))
            return show(holder.value)
        if on_read is not None:
            on_read(value)
        if value == holder.value:
            return show(value)          # "+3" read as 3: the field writes it as the page does
        holder.value = value            # the holder's observer writes the field

    field.observe(typed, names="value")
    holder.observe(lambda change: show(change["new"]), names="value")
    return field


def typed_slider(slider: W.IntSlider | W.FloatSlider, loc: str, on_refused: Callable[[str], None],
                 name: str = "", width: str = "70px") -> W.HBox:
    """``slider`` (its readout turned off) and a text field for typing its value, read by
    :func:`cxtoolkit.rules.parse_value` within the slider's bounds (:func:`typed_field`): an
    ``HBox`` of both."""
    whole = isinstance(slider.value, int)
    slider.readout = False

    def read(typed: str):
        value = parse_value(typed, "number", loc, lo=slider.min, hi=slider.max, whole=whole)
        return int(value) if whole else float(value)

    field = typed_field(slider, loc, on_refused, lambda v: _shown(v, loc, whole), read, name=name, width=width)
    return W.HBox([slider, field], layout=W.Layout(align_items="center"))


def typed_day(picker: W.DatePicker, loc: str, on_refused: Callable[[str], None], name: str = "",
              width: str = "230px") -> W.Text:
    """A text field, labelled as ``picker``, for typing its day as the page writes it
    (:func:`cxtoolkit.rules.day_text`: ``31/10/2026`` / ``2026-10-31``), read by
    :func:`cxtoolkit.rules.parse_day` within the picker's ``min`` / ``max``
    (:func:`typed_field`). The picker holds the day (a ``datetime.date``) and is not displayed:
    its ``<input type="date">`` is written in the browser's language, not the page's."""
    return typed_field(picker, loc, on_refused, lambda d: "" if d is None else day_text(d, loc),
                       lambda typed: parse_day(typed, loc, lo=picker.min, hi=picker.max),
                       name=name, width=width, description=picker.description)
