"""Plotly figures built from computed result frames (never computing), one module per domain:
``cxtoolkit.viz.kpis`` (tiles, trends, heatmaps, channel split, NPS intervals), ...

Import the domain module you need, e.g. ``from cxtoolkit.viz import kpis as kviz``.
"""
