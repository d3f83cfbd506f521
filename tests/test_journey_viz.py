"""Journey and verbatim figures are built from computed frames and show what they say."""
import pandas as pd

from cxtoolkit.config import ClientConfig
from cxtoolkit.journey import customer_paths, friction_map, key_drivers
from cxtoolkit.verbatims import analyse_verbatims
from cxtoolkit.viz import journey as vj
from cxtoolkit.viz import verbatims as vv

CFG = ClientConfig(client="t", journey=["ordering", "delivery", "invoice"],
                   journey_reasons={"o": "ordering", "d": "delivery"}, kpi={"min_answers": 5})
RESP = pd.DataFrame({"touchpoint": ["ordering"] * 50 + ["delivery"] * 50 + ["invoice"] * 2,
                     "csat": [5.0] * 45 + [1.0] * 5 + [1.0] * 30 + [5.0] * 20 + [1.0, 1.0],
                     "country": ["FR", "GB"] * 51})


def test_journey_line_colours_significant_and_too_few():
    fm = friction_map(RESP, CFG)
    fig = vj.journey_line(fm, "en")
    colours = list(fig.data[0].marker.color)
    assert colours == [vj.BLUE, vj.RED, vj.GREY]
    assert list(fig.data[0].x) == ["Ordering", "Delivery", "Invoice"]


def test_heatmap_blanks_too_few_cells():
    fm = friction_map(RESP, CFG, by="country")
    fig = vj.stage_heatmap(fm, "country", locale="fr")
    z = fig.data[0].z
    assert z.shape == (2, 3) and pd.isna(z[0][2]) and z[0][1] > z[0][0]


def test_sankey_and_matrix_and_verbatim_charts():
    c = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "reason": ["o", "d", "o", "d"],
                      "received_at": pd.to_datetime(["2026-01-01", "2026-01-02"] * 2)})
    fig = vj.paths_sankey(customer_paths(c, CFG), "fr")
    assert list(fig.data[0].node.label) == ["Commande", "Livraison"] and list(fig.data[0].link.value) == [2]
    resp = pd.DataFrame({"customer_id": [f"c{i % 40}" for i in range(120)],
                         "survey_type": ["hot"] * 80 + ["cold"] * 40,
                         "touchpoint": ["ordering"] * 40 + ["delivery"] * 40 + [None] * 40,
                         "csat": [float(1 + i % 5) for i in range(80)] + [None] * 40,
                         "nps": [None] * 80 + [float(i % 11) for i in range(40)]})
    kd = key_drivers(resp, CFG, n_boot=20)
    assert len(vj.priority_matrix(kd).data[0].x) == 2
    a = analyse_verbatims(pd.DataFrame({"verbatim": ["Colis jamais reçu"] * 20 + ["Très aimable"] * 20,
                                        "csat": [1.0] * 20 + [5.0] * 20, "language": "fr"}), discover=False)
    f = vv.themes_lift_chart(a.themes, "fr")
    assert set(f.data[0].marker.color) == {vv.COLOURS["irritant"], vv.COLOURS["delighter"]}
    assert list(vv.severity_chart(a.severity).data[0].y) == [0, 0, 0, 0, 0]


def test_journey_line_hover_reads_in_the_readers_language():
    """The bubble's hover names the friction index in the page's language and writes the
    answer count as the tables do (it said "friction 100" and "n = 1500" on a French page)."""
    big = pd.DataFrame({"touchpoint": ["ordering"] * 1500 + ["delivery"] * 1500,
                        "csat": [5.0] * 1400 + [1.0] * 100 + [1.0] * 600 + [5.0] * 900})
    fm = friction_map(big, CFG)
    fr = vj.journey_line(fm, "fr").data[0].hovertext[1]
    assert "Indice de friction : 100" in fr and "n = 1\u202f500" in fr and "friction 100" not in fr
    en = vj.journey_line(fm, "en").data[0].hovertext[1]
    assert "Friction index: 100" in en and "n = 1,500" in en
