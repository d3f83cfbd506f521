"""The audit's index page: links to every report, status per notebook, KPI summary,
what changed since the last audit and the trend across past audits.

Pure string building (every value HTML-escaped), no script, no external resource.

Examples
--------
>>> html = render_index({"client": "acme", "client_name": "Acme", "period": "2026-10",
...                      "status": "ok", "notebooks": [], "downloads": []})
>>> "<title>Acme" in html and "https://" not in html
True
"""
from __future__ import annotations

import math
from html import escape

import pandas as pd

from cxtoolkit.kpis.registry import KPIS
from cxtoolkit.rules import format_value

_STATUS = {"ok": ("#2e7d32", "OK"), "failed": ("#c62828", "Échec / Failed"),
           "skipped": ("#777", "Ignoré / Skipped")}
_RAG = {"green": "#C6EFCE", "amber": "#FFEB9C", "red": "#FFC7CE"}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:0 auto;
padding:0 1.5rem 2rem;color:#222}
header{border-bottom:4px solid #e07a1f;padding:1rem 0 .5rem;margin-bottom:1rem}
h1{color:#1f3a5f;margin:0;font-size:1.5rem} h2{color:#1f3a5f;font-size:1.15rem;margin-top:1.8rem}
.meta{color:#555} table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8} td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.6rem;color:#fff;font-size:.8rem}
.err{color:#c62828;font-family:monospace;font-size:.8rem} .note{color:#666;font-size:.85rem}
.sig{font-weight:bold} svg{vertical-align:middle}
"""


def fmt_value(key: str, value, locale: str = "fr") -> str:
    """A KPI value for display by its registry unit: :func:`cxtoolkit.rules.format_value`
    (the one number format of the index, the notebooks and the CLI), HTML-escaped.

    >>> fmt_value("answer_rate", 0.8512), fmt_value("asa_s", 42.4, "en"), fmt_value("nps", None)
    ('85,1 %', '42 s', '–')
    """
    unit = KPIS[key].unit if key in KPIS else ""
    return escape(format_value(value, unit, locale))


def fmt_delta(key: str, delta) -> str:
    """Signed change, in points for rates.

    >>> fmt_delta("csat", 0.031), fmt_delta("nps", -4.0)
    ('+3.1 pts', '-4.0')
    """
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "—"
    unit = KPIS[key].unit if key in KPIS else ""
    if unit == "ratio":
        return f"{100 * delta:+.1f} pts"
    return f"{delta:+.1f}"


def _badge(status: str) -> str:
    colour, text = _STATUS.get(status, ("#777", status))
    return f'<span class="badge" style="background:{colour}">{escape(text)}</span>'


def sparkline(values: list[float], width: int = 90, height: int = 22) -> str:
    """Tiny inline SVG line of ``values`` (NaN skipped); empty string when < 2 points.

    >>> sparkline([1.0, 2.0, 3.0]).startswith("<svg")
    True
    """
    pts = [(i, v) for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    if len(pts) < 2:
        return ""
    lo, hi = min(v for _, v in pts), max(v for _, v in pts)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)
    coords = " ".join(f"{2 + i * (width - 4) / n:.1f},{height - 2 - (v - lo) * (height - 4) / span:.1f}"
                      for i, v in pts)
    return (f'<svg width="{width}" height="{height}" role="img" aria-label="trend">'
            f'<polyline fill="none" stroke="#1f3a5f" stroke-width="1.5" points="{coords}"/></svg>')


def _label(key: str, locale: str) -> str:
    if key not in KPIS:
        return escape(key)
    k = KPIS[key]
    first, second = (k.label_fr, k.label_en) if locale != "en" else (k.label_en, k.label_fr)
    return f'{escape(first)}<br><span class="note">{escape(second)}</span>'


def render_index(info: dict, summary: dict | None = None, changes: pd.DataFrame | None = None,
                 trend: pd.DataFrame | None = None, locale: str = "fr") -> str:
    """HTML of the index page.

    ``info``: client, client_name, period, status, started_at, duration_s, notebooks (list of
    dicts: name, title, status, duration_s, html, executed, error), downloads (list of
    (label, path)), steps (dict name → {status, reason}), previous_period.
    ``summary``: headline KPIs (:func:`cxtoolkit.audit.collect.summary`).
    ``changes``: :func:`cxtoolkit.audit.history.what_changed` rows (overall segment shown).
    ``trend``: :func:`cxtoolkit.audit.history.trend` table (periods × KPIs).
    """
    title = f"{info.get('client_name') or info.get('client')} — audit {info.get('period', '')}"
    parts = [f'<!DOCTYPE html><html lang="{escape(locale)}"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"]
    parts.append(f"<header><h1>{escape(title)}</h1><div class=\"meta\">Statut / Status : "
                 f"{_badge(info.get('status', ''))} · {escape(str(info.get('started_at', '')))}"
                 f" · {fmt_value('aht_s', info.get('duration_s'), locale)}</div></header>")

    # reports
    parts.append("<h2>Rapports / Reports</h2><table><tr><th>Rapport / Report</th><th>Statut / Status</th>"
                 "<th>Durée / Duration (s)</th><th>Notebook</th><th>Erreur ou motif / Error or reason</th></tr>")
    for nb in info.get("notebooks", []):
        name = escape(nb.get("title") or nb.get("name", ""))
        link = f'<a href="{escape(nb["html"])}">{name}</a>' if nb.get("html") else name
        exe = f'<a href="{escape(nb["executed"])}">.ipynb</a>' if nb.get("executed") else ""
        dur = nb.get("duration_s")
        parts.append(f"<tr><td>{link}</td><td>{_badge(nb.get('status', ''))}</td>"
                     f"<td class=\"num\">{'' if dur is None else f'{dur:.1f}'}</td><td>{exe}</td>"
                     + (f"<td class=\"err\">{escape(nb.get('error') or '')}</td></tr>" if not nb.get("reason")
                        else f"<td class=\"note\">{escape(nb['reason'])}</td></tr>"))
    parts.append("</table>")

    downloads = info.get("downloads") or []
    steps = info.get("steps") or {}
    if downloads or steps:
        parts.append("<h2>Fichiers / Files</h2><ul>")
        for label_, path in downloads:
            parts.append(f'<li><a href="{escape(path)}">{escape(label_)}</a></li>')
        for name, st in steps.items():
            if st.get("status") != "ok":
                parts.append(f"<li class=\"note\">{escape(name)} : {_badge(st.get('status', ''))} "
                             f"{escape(st.get('reason') or '')}</li>")
        parts.append("</ul>")

    # KPI summary
    parts.append("<h2>Indicateurs clés / Key KPIs</h2>")
    if summary:
        parts.append("<table><tr><th>KPI</th><th>Valeur / Value</th></tr>")
        for key, item in summary.items():
            bg = _RAG.get(item.get("status") or "", "")
            style = f' style="background:{bg}"' if bg else ""
            parts.append(f"<tr><td>{_label(key, locale)}</td><td class=\"num\"{style}>"
                         f"{fmt_value(key, item.get('value'), locale)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append('<p class="note">Pas de KPI calculés pour cet audit / No KPIs computed for this audit.</p>')

    # what changed
    prev = info.get("previous_period")
    parts.append("<h2>Évolutions depuis le dernier audit / What changed since last audit</h2>")
    if changes is not None and not changes.empty and prev:
        ch = changes[(changes["segment_by"] == "overall")]
        parts.append(f'<p class="note">Comparé à / compared with {escape(str(prev))}. Significatif / '
                     "significant: NPS |Δ| &gt; 1,96·√(SE₁²+SE₂²); taux / rates: test z à deux "
                     "proportions / two-proportion z-test, p &lt; 0,05.</p>")
        parts.append("<table><tr><th>KPI</th><th>Avant / Before</th><th>Maintenant / Now</th>"
                     "<th>Δ</th><th>p</th><th>Significatif / Significant</th></tr>")
        for r in ch.to_dict("records"):
            sig = r.get("significant")
            sig_txt = "—" if sig is None else ("oui / yes" if sig else "non / no")
            p = r.get("p_value")
            p_txt = "—" if p is None or (isinstance(p, float) and math.isnan(p)) else f"{p:.3f}"
            cls = ' class="num sig"' if sig else ' class="num"'
            arrow = {"better": " ▲", "worse": " ▼"}.get(r.get("direction"), "")
            parts.append(f"<tr><td>{_label(r['kpi'], locale)}</td><td class=\"num\">{fmt_value(r['kpi'], r['previous'], locale)}"
                         f"</td><td class=\"num\">{fmt_value(r['kpi'], r['current'], locale)}</td><td{cls}>"
                         f"{fmt_delta(r['kpi'], r['delta'])}{arrow}</td><td class=\"num\">{p_txt}</td>"
                         f"<td>{sig_txt}</td></tr>")
        parts.append("</table>")
    else:
        parts.append('<p class="note">Premier audit de ce client ou pas de KPI comparables / '
                     "first audit of this client or no comparable KPIs.</p>")

    # trend
    parts.append("<h2>Historique / History</h2>")
    if trend is not None and not trend.empty and len(trend) >= 1:
        keys = [k for k in trend.columns]
        parts.append("<table><tr><th>Période / Period</th>" + "".join(f"<th>{_label(k, locale)}</th>" for k in keys)
                     + "</tr>")
        for period, row in trend.iterrows():
            parts.append(f"<tr><td>{escape(str(period))}</td>"
                         + "".join(f"<td class=\"num\">{fmt_value(k, row[k], locale)}</td>" for k in keys) + "</tr>")
        parts.append("<tr><td>Tendance / Trend</td>" + "".join(
            f"<td>{sparkline([float(x) for x in trend[k].tolist()])}</td>" for k in keys) + "</tr></table>")
    else:
        parts.append('<p class="note">Pas encore d\'historique / no history yet.</p>')
    parts.append('<p class="note">Généré par / generated by cxtoolkit — <a href="manifest.json">manifest.json</a></p>')
    parts.append("</body></html>")
    return "\n".join(parts)
