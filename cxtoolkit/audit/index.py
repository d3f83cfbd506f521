"""The audit's index page, an executive summary a CEO reads in two minutes: headline figures
with their RAG against targets, the top findings, what changed since the last audit (with
the significance in words) and the history chart once there are two audits or more, then
the links to the reports and downloads. One language: the client's locale.

Pure string building: every value HTML-escaped, labels from the KPI registry and the message
catalogue (``report.index.*``, ``report.table.*``), numbers by :func:`cxtoolkit.rules.format_value`,
findings from :mod:`cxtoolkit.kpis.commentary`, tables by :func:`cxtoolkit.report.tables.table_html`
(sortable by their headers: the page's one inline script), the history as inline SVG. No
external resource.

Examples
--------
>>> html = render_index({"client": "acme", "client_name": "Acme", "period": "2026-10",
...                      "status": "ok", "notebooks": [], "downloads": []})
>>> "<title>Acme" in html and "https://" not in html
True
"""
from __future__ import annotations

import math

import pandas as pd

from cxtoolkit.config import ClientConfig
from cxtoolkit.escape import html_text as escape
from cxtoolkit.findings import render_all
from cxtoolkit.kpis import commentary as C
from cxtoolkit.kpis.engine import status_table
from cxtoolkit.kpis.registry import HEADLINE_KPIS, KPIS, target_of, with_data
from cxtoolkit.messages import client_locale, has, text
from cxtoolkit.report.tables import PAGE_ASSETS, change_arrow, column_label, data_counts, format_delta, period_label, skip_reason, table_html, value_label  # noqa: F401 (skip_reason: re-exported)
from cxtoolkit.rules import calendar_text, format_value

_STATUS_COLOUR = {"ok": "#2e7d32", "failed": "#c62828", "skipped": "#777"}
_RAG = {"green": ("#e3f4e5", "#2e7d32"), "amber": ("#fff4d6", "#b26a00"), "red": ("#fde4e4", "#c62828")}
#: Headline tiles: the headline KPIs less the counts and interval half-widths shown inside tiles.
TILE_SKIP = ("nps_ci95", "nps_n", "csat_n")
MAX_FINDINGS = 5

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:0 auto;
padding:0 1.5rem 2rem;color:#222}
header{border-bottom:4px solid #e07a1f;padding:1rem 0 .5rem;margin-bottom:1rem}
h1{color:#1f3a5f;margin:0;font-size:1.5rem} h2{color:#1f3a5f;font-size:1.15rem;margin-top:1.8rem}
.meta{color:#555} table{border-collapse:collapse;width:100%;font-size:.9rem}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.6rem;color:#fff;font-size:.8rem}
.err{color:#c62828;font-family:monospace;font-size:.8rem} .note{color:#666;font-size:.85rem}
.cx-tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:.7rem}
.cx-tile{border:1px solid #ddd;border-left:6px solid #bbb;border-radius:.4rem;padding:.55rem .7rem;background:#fafbfc}
.cx-tile .lab{font-size:.8rem;color:#444;min-height:2.1em}
.cx-tile .val{font-size:1.6rem;font-weight:600;color:#1f3a5f;font-variant-numeric:tabular-nums}
.cx-tile .rag{font-size:.78rem;font-weight:600} .cx-tile .sub{font-size:.78rem;color:#555}
.cx-findings li{margin:.35rem 0;line-height:1.4}
.cx-history{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:.7rem}
.cx-history figure{margin:0;border:1px solid #e3e3e3;border-radius:.4rem;padding:.4rem}
.cx-history figcaption{font-size:.8rem;color:#1f3a5f;font-weight:600}
"""


def _t(key: str, locale: str, **fill) -> str:
    return text(f"report.index.{key}", locale, **fill)


def _word(kind: str, code, locale: str) -> str:
    return value_label(kind, code, locale) or str(code)


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _unit(key: str) -> str:
    return KPIS[key].unit if key in KPIS else "count"


def fmt_value(key: str, value, locale: str = "fr") -> str:
    """A KPI value for display by its registry unit: :func:`cxtoolkit.rules.format_value`
    (the one number format of the index, the notebooks and the CLI), HTML-escaped.

    >>> fmt_value("answer_rate", 0.8512), fmt_value("asa_s", 42.4, "en"), fmt_value("nps", None)
    ('85,1 %', '42 s', '–')
    """
    return escape(format_value(value, _unit(key) if key in KPIS else "", locale))


def run_time(iso: str, locale: str = "fr") -> str:
    """When the audit ran, for people: the manifest's ISO time as the reader writes it.

    >>> run_time("2026-11-30T00:39:03+00:00", "fr"), run_time("2026-11-30T00:39:03+00:00", "en")
    ('30/11/2026 00:39 UTC', '2026-11-30 00:39 UTC')
    >>> run_time("not a time")
    'not a time'
    """
    try:
        t = pd.Timestamp(iso)
    except (ValueError, TypeError):
        return str(iso)
    zone = "" if t.tzinfo is None else (" UTC" if t.utcoffset().total_seconds() == 0 else t.strftime(" %z"))
    return t.strftime(_t("run_time", client_locale(locale))) + zone


def _badge(status: str, locale: str) -> str:
    colour = _STATUS_COLOUR.get(status, "#777")
    return f'<span class="badge" style="background:{colour}">{escape(_word("status", status, locale))}</span>'


#: the least span of a history chart's axis by unit (rates in points, NPS in points)
MIN_SPAN = {"ratio": 0.10, "nps": 10.0}


def history_chart(trend: pd.DataFrame, locale: str = "fr", targets: dict | None = None,
                  width: int = 250, height: int = 130) -> str:
    """The history of the audits as inline SVG: one small line chart per KPI (periods in
    order, each point's value, the target as a dashed line); "" with fewer than two periods.

    >>> t = pd.DataFrame({"answer_rate": [0.80, 0.86]}, index=pd.Index(["2026-09", "2026-10"], name="period"))
    >>> svg = history_chart(t, "en")
    >>> svg.count("<svg"), "86.0%" in svg, "Sep 2026" in svg, "2026-09" in svg
    (1, True, True, False)
    """
    if trend is None or len(trend) < 2:
        return ""
    # the ends of a small chart: a month short (oct. 2026), another period as the titles say it
    periods = [calendar_text(str(p), locale, short=True) for p in trend.index]
    periods = [s if s != str(p) else period_label(str(p), locale) for s, p in zip(periods, trend.index)]
    figs = []
    for key in trend.columns:
        vals = pd.to_numeric(trend[key], errors="coerce").astype("float64").tolist()
        pts = [(i, v) for i, v in enumerate(vals) if not _nan(v)]
        if len(pts) < 2:
            continue
        target = target_of(key, targets)
        scale = [v for _, v in pts] + ([float(target)] if target is not None else [])
        unit = _unit(key)
        lo, hi = min(scale), max(scale)
        # a small change is drawn small: the axis spans at least MIN_SPAN of the unit
        # (10 points of a rate, 10 NPS points), else 20 % of the value
        grow = MIN_SPAN.get(unit, 0.2 * max(abs(lo), abs(hi))) - (hi - lo)
        if grow > 0:
            lo, hi = lo - grow / 2, hi + grow / 2
        pad = (hi - lo) * 0.15 or 1.0
        lo, hi = lo - pad, hi + pad
        left, right, top, bottom = 10, width - 10, 22, height - 22
        x = lambda i: left + (right - left) * (i / max(len(vals) - 1, 1))  # noqa: E731
        y = lambda v: bottom - (bottom - top) * (v - lo) / (hi - lo)  # noqa: E731
        parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
                 f'aria-label="{escape(KPIS[key].label(locale) if key in KPIS else key)}">']
        if target is not None:
            ty = y(float(target))
            parts.append(f'<line x1="{left}" x2="{right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#e07a1f" '
                         f'stroke-dasharray="4 3" stroke-width="1"/>')
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in pts)
        parts.append(f'<polyline fill="none" stroke="#1f3a5f" stroke-width="2" points="{coords}"/>')
        for i, v in pts:
            anchor = "start" if i == 0 else "end" if i == len(vals) - 1 else "middle"
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#1f3a5f"/>'
                         f'<text x="{x(i):.1f}" y="{y(v) - 7:.1f}" font-size="10" text-anchor="{anchor}" '
                         f'fill="#222">{escape(format_value(v, unit, locale))}</text>')
        parts.append(f'<text x="{left}" y="{height - 6}" font-size="10" fill="#555">{escape(periods[0])}</text>'
                     f'<text x="{right}" y="{height - 6}" font-size="10" fill="#555" text-anchor="end">'
                     f'{escape(periods[-1])}</text></svg>')
        label = KPIS[key].label(locale) if key in KPIS else key
        figs.append(f"<figure><figcaption>{escape(label)}</figcaption>{''.join(parts)}</figure>")
    if not figs:
        return ""
    return f'<div class="cx-history" id="cx-history">{"".join(figs)}</div>'


def _overall_changes(changes: pd.DataFrame | None) -> pd.DataFrame:
    if changes is None or changes.empty:
        return pd.DataFrame(columns=["kpi", "previous", "current", "delta", "significant", "direction", "p_value"])
    return changes[changes["segment_by"] == "overall"].reset_index(drop=True)


def _significance(row: dict) -> str:
    sig = row.get("significant")
    if sig is None or (isinstance(sig, float) and math.isnan(sig)):
        return "untested"
    if not sig:
        return "not"
    return row.get("direction") if row.get("direction") in ("better", "worse") else "changed"


def findings(summary: dict, changes: pd.DataFrame | None, trend: pd.DataFrame | None,
             locale: str = "fr", targets: dict | None = None, limit: int = MAX_FINDINGS,
             previous: str | None = None) -> list[str]:
    """The top findings (at most ``limit``), each from :mod:`cxtoolkit.kpis.commentary`:
    the KPIs off target, what changed since the ``previous`` audit
    (:func:`~cxtoolkit.kpis.commentary.change_findings`: the significant changes, worst first),
    the surveys, then the trend of each KPI whose change is significant (deteriorations first;
    a complementary pair once, :func:`~cxtoolkit.kpis.commentary.one_per_fact`).

    >>> s = {"answer_rate": {"value": 0.70}, "csat": {"value": 0.6}, "csat_n": {"value": 250.0}}
    >>> findings(s, None, None, "en")
    ['Below target: Answer rate 70.0% (target 85.0%).', 'CSAT 60.0% (n=250).']
    """
    out: list[str] = []
    row = pd.Series({k: item.get("value") for k, item in (summary or {}).items()}, dtype="object")
    if len(row):
        status = status_table(row, ClientConfig(client="index", targets=targets or {}), locale)
        if status["rag"].notna().any():
            out.append(C.comment_status(status, locale))
    out += render_all(C.change_findings(changes, previous, locale), locale)
    if len(row) and any(k in row.index and not _nan(row[k]) for k in ("csat", "nps", "unhappy_share")):
        out.append(C.comment_surveys(row, locale))
    ch = _overall_changes(changes)
    if trend is not None and len(trend) >= 2 and len(ch):
        sig = ch[ch["kpi"].isin(list(trend.columns)) & ch["significant"].eq(True)]
        sig = sig.assign(order=sig["direction"].map({"worse": 0, "better": 1}).fillna(2)).sort_values("order")
        out += [C.comment_trend(trend, k, locale) for k in C.one_per_fact(sig["kpi"])]
    return [s for s in out if s][:limit]


def _tiles(summary: dict, changes: pd.DataFrame | None, locale: str, targets: dict | None,
           previous: str | None) -> str:
    ch = _overall_changes(changes).set_index("kpi") if changes is not None and not changes.empty else None
    tiles = []
    values = {k: item.get("value") for k, item in summary.items()}
    for key in with_data([k for k in summary if k not in TILE_SKIP], values):   # no "–" tile
        item = summary[key]
        value = item.get("value")
        status = item.get("status")
        bg, fg = _RAG.get(status or "", ("#fafbfc", "#bbb"))
        label = KPIS[key].label(locale) if key in KPIS else key
        shown = format_value(value, _unit(key), locale)
        if key == "nps" and "nps_ci95" in summary and not _nan(summary["nps_ci95"].get("value")):
            shown += " " + format_value(summary["nps_ci95"]["value"], "nps", locale, half_width=True)
        lines = []
        target = target_of(key, targets)
        if status:   # "proche de l'objectif (jusqu'à 23,5 %)": where the abandonment's band ends
            band = C.close_band(key, target, locale) if status == "amber" else None
            word = _word("rag", status, locale) + (f" ({band})" if band else "")
            lines.append(f'<div class="rag" style="color:{fg}">{escape(word)}</div>')
        if target is not None and KPIS.get(key) and KPIS[key].direction != "none":
            lines.append(f'<div class="sub">{escape(_t("target", locale, value=format_value(target, _unit(key), locale)))}</div>')
        if ch is not None and key in ch.index and previous:
            r = ch.loc[key]
            r = (r.iloc[0] if isinstance(r, pd.DataFrame) else r).to_dict()
            arrow = change_arrow(key, r.get("delta"), r.get("direction"))
            sig = _significance(r)
            word = "" if sig == "untested" else " — " + _word("significance", sig, locale)
            delta = _t("vs_previous", locale, delta=format_delta(key, r.get("delta"), locale),
                         period=period_label(previous, locale))
            lines.append(f'<div class="sub">{escape(arrow + delta + word)}</div>')
        tiles.append(f'<div class="cx-tile" data-kpi="{escape(key)}" style="border-left-color:{fg};background:{bg}">'
                     f'<div class="lab">{escape(label)}</div><div class="val">{escape(shown)}</div>{"".join(lines)}</div>')
    return f'<div class="cx-tiles" id="cx-headline">{"".join(tiles)}</div>'


def _changes_table(changes: pd.DataFrame, locale: str) -> str:
    """The headline KPIs' changes and any other significant one, significant first."""
    ch = _overall_changes(changes)
    ch = ch[ch["kpi"].isin(HEADLINE_KPIS) | ch["significant"].eq(True)]
    ch = ch.assign(sig=[_significance(r) for r in ch.to_dict("records")])
    ch = ch.assign(order=ch["sig"].map({"worse": 0, "better": 1, "changed": 2, "not": 3}).fillna(4))
    rows = []
    for r in ch.sort_values("order", kind="stable").to_dict("records"):
        k = r["kpi"]
        rows.append([KPIS[k].label(locale) if k in KPIS else k,
                     (format_value(r["previous"], _unit(k), locale), r["previous"]),
                     (format_value(r["current"], _unit(k), locale), r["current"]),
                     (format_delta(k, r["delta"], locale), r["delta"]),
                     _word("significance", r["sig"], locale)])
    return table_html(None, ["kpi", "previous", "current", "delta", "significance"], locale, rows=rows)


#: the skip reasons of :meth:`cxtoolkit.needs.DataNeeds.missing_data` (English in the manifest)
def _reports(info: dict, locale: str) -> str:
    rows = []
    for nb in info.get("notebooks", []):
        name = escape(nb.get("title") or nb.get("name", ""))
        link = f'<a href="{escape(nb["html"])}">{name}</a>' if nb.get("html") else name
        exe = f'<a href="{escape(nb["executed"])}">.ipynb</a>' if nb.get("executed") else ""
        dur = nb.get("duration_s")
        why = (f'<span class="note">{escape(skip_reason(nb["reason"], locale))}</span>' if nb.get("reason")
               else f'<span class="err">{escape(nb.get("error") or "")}</span>')
        rows.append(f"<tr><td>{link}</td><td>{_badge(nb.get('status', ''), locale)}</td>"
                    f"<td class=\"num\">{'' if dur is None else escape(format_value(dur, 'seconds', locale))}</td>"
                    f"<td>{exe}</td><td>{why}</td></tr>")
    head = "".join(f"<th>{escape(column_label(k, locale))}</th>" for k in ("report", "status", "duration", "notebook", "error"))
    return f'<table class="cx-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def render_index(info: dict, summary: dict | None = None, changes: pd.DataFrame | None = None,
                 trend: pd.DataFrame | None = None, locale: str = "fr", targets: dict | None = None) -> str:
    """HTML of the index page.

    ``info``: client, client_name, period, status, started_at, duration_s, notebooks (list of
    dicts: name, title, status, duration_s, html, executed, error), downloads (list of
    (label, path)), steps (dict name → {status, reason}), previous_period, data (the load's
    counts per table: rows read, accepted, rejected, file).
    ``summary``: headline KPIs (:func:`cxtoolkit.audit.collect.summary`).
    ``changes``: :func:`cxtoolkit.audit.history.what_changed` rows (overall segment shown).
    ``trend``: :func:`cxtoolkit.audit.history.trend` table (periods × KPIs).
    ``targets``: the client's targets (client.yml ``targets``) over the registry's.
    """
    loc = client_locale(locale)
    title = f"{info.get('client_name') or info.get('client')} — {_t('audit', loc)} {period_label(info.get('period', ''), loc)}"
    prev = info.get("previous_period")
    parts = [f'<!DOCTYPE html><html lang="{escape(loc)}"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"]
    meta = [_badge(info.get("status", ""), loc)]
    if info.get("started_at"):
        meta.append(escape(run_time(info["started_at"], loc)))
    if info.get("duration_s") is not None:
        meta.append(fmt_value("aht_s", info["duration_s"], loc))
    parts.append(f"<header><h1>{escape(title)}</h1><div class=\"meta\">{escape(_t('status', loc))}"
                 f"{escape(_t('status_sep', loc))}{' · '.join(meta)}</div></header>")

    # 1. headline figures with RAG
    parts.append(f"<h2>{escape(_t('headline', loc))}</h2>")
    if summary:
        parts.append(_tiles(summary, changes, loc, targets, prev))
    else:
        parts.append(f'<p class="note">{escape(_t("no_kpi", loc))}</p>')

    # 2. top findings (commentary functions)
    lines = findings(summary or {}, changes, trend, loc, targets, previous=prev)
    if lines:
        parts.append(f"<h2>{escape(_t('findings', loc))}</h2><ul class=\"cx-findings\" id=\"cx-findings\">"
                     + "".join(f"<li>{escape(s)}</li>" for s in lines) + "</ul>")

    # 3. what changed, and the history
    parts.append(f"<h2>{escape(_t('changes', loc))}</h2>")
    if changes is not None and not changes.empty and prev:
        parts.append(f'<p class="note">{escape(_t("compared", loc, period=period_label(prev, loc)))}</p>')
        parts.append(_changes_table(changes, loc))
    else:
        parts.append(f'<p class="note">{escape(_t("first", loc))}</p>')
    parts.append(f"<h2>{escape(_t('history', loc))}</h2>")
    chart = history_chart(trend, loc, targets) if trend is not None else ""
    if chart:
        parts.append(chart)
        parts.append(table_html(trend.rename_axis("period"), ["period", *trend.columns], loc, index=True))
    else:
        parts.append(f'<p class="note">{escape(_t("history_wait", loc))}</p>')

    # 4. reports and downloads
    parts.append(f"<h2>{escape(_t('reports', loc))}</h2>")
    parts.append(_reports(info, loc))
    data = data_counts(info.get("data"), loc)   # rows read = accepted + rejected, as the deck and the workbook
    if len(data):
        parts.append(f"<h2>{escape(_t('data', loc))}</h2>")
        parts.append(table_html(data, None, loc))
    downloads = info.get("downloads") or []
    steps = info.get("steps") or {}
    if downloads or steps:
        parts.append(f"<h2>{escape(_t('files', loc))}</h2><ul>")
        for label_, path in downloads:
            parts.append(f'<li><a href="{escape(path)}">{escape(label_)}</a></li>')
        for name, st in steps.items():
            if st.get("status") != "ok":
                step = _t(f"step.{name}", loc) if has(f"report.index.step.{name}") else name
                parts.append(f"<li class=\"note\">{escape(step + _t('status_sep', loc))}"
                             f"{_badge(st.get('status', ''), loc)} {escape(st.get('reason') or '')}</li>")
        parts.append("</ul>")
    parts.append(f'<p class="note">{escape(_t("generated", loc))} — <a href="manifest.json">manifest.json</a></p>')
    parts.append(PAGE_ASSETS)
    parts.append("</body></html>")
    return "\n".join(parts)
