"""What a French client's kpis page says is French: the service-level line, the channel mix and
its donut (they showed ``service level: `offered```, ``phone 65,1 %, email…, (missing) 0,0 %``)."""
from __future__ import annotations

import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.io import ClientData
from cxtoolkit.kpis import commentary as C
from cxtoolkit.viz import kpis as V

CONTACTS = pd.DataFrame({
    "contact_id": ["c1", "c2", "c3", "c4"],
    "channel": ["phone", "phone", "phone", "email"],
    "received_at": pd.to_datetime(["2026-05-04 10:00", "2026-05-04 11:00", "2026-05-05 10:00", "2026-05-05 12:00"]),
    "answered": [True, True, False, True],
    "wait_s": [10.0, 30.0, 40.0, 3600.0],
})
# a survey answer without a channel: the channel cut gets a "(missing)" row with no contact
RESPONSES = pd.DataFrame({"response_id": ["r1", "r2"], "responded_at": pd.to_datetime(["2026-05-04", "2026-05-05"]),
                          "csat": [5.0, 2.0], "channel": ["phone", None]})


def _page_text(locale: str, formula: str = "offered") -> str:
    from cxtoolkit.apps.views import render_kpis

    cfg = ClientConfig(client="acme", locale=locale, kpi={"service_level_formula": formula})
    shown = []
    render_kpis(cfg, ClientData(contacts=CONTACTS, responses=RESPONSES), {"loc": locale}, emit=shown.append)
    return "\n".join(str(getattr(o, "data", "")) for o in shown)


def test_french_kpis_page_says_service_level_and_channels_in_french():
    page = _page_text("fr")
    assert "service level" not in page and "`offered`" not in page
    assert "niveau de service : décrochés en 20 s ou moins / appels présentés" in page
    assert "Répartition : téléphone 75,0 %, e-mail 25,0 % sur 4 contacts." in page
    assert "(missing)" not in page


@pytest.mark.parametrize("formula, shown", [
    ("answered_only", "service level: answered within 20 s / answered calls"),
    ("answered_plus_late_abandons", "service level: answered within 20 s / (answered + abandoned after 20 s)"),
])
def test_english_page_names_the_formula_in_words(formula, shown):
    assert shown in _page_text("en", formula)


def test_daily_reports_page_has_no_service_level_line():
    from cxtoolkit.apps.views import render_kpis

    daily = pd.DataFrame({"date": pd.to_datetime(["2026-05-04", "2026-05-05"]), "offered": [10, 20],
                          "answered": [9, 18], "abandoned": [1, 2], "asa_s": [20.0, 30.0], "aht_s": [200.0, 180.0]})
    shown = []
    render_kpis(ClientConfig(client="acme", locale="fr"), ClientData(daily_reports=daily), {"loc": "fr"},
                emit=shown.append)
    page = "\n".join(str(getattr(o, "data", "")) for o in shown)
    header = page.lower().split("## ")[0]
    assert "rapports quotidiens agrégés" in page and "niveau de service" not in header and "service level" not in header


def test_channel_mix_leaves_out_channels_without_contacts():
    f = pd.DataFrame({"contacts": [0, 3, 1]}, index=pd.Index(["(missing)", "phone", "social"], name="channel"))
    assert C.comment_channels(f, "fr") == "Répartition : téléphone 75,0 %, réseaux sociaux 25,0 % sur 4 contacts."
    assert C.comment_channels(f.rename(index={"social": "fax"}), "en") == "Channel mix: phone 75.0%, fax 25.0% of 4 contacts."


def test_channel_donut_labels_in_the_client_language():
    f = pd.DataFrame({"contacts": [3, 1]}, index=pd.Index(["phone", "email"], name="channel"))
    assert list(V.channel_split(f, "fr").data[0].labels) == ["téléphone", "e-mail"]
    assert list(V.channel_split(f, "en").data[0].labels) == ["phone", "email"]
    # the "(missing)" row of the survey answers (0 contacts) showed as "non renseigné 0,0 %"
    with_missing = pd.concat([pd.DataFrame({"contacts": [0]}, index=pd.Index(["(missing)"], name="channel")), f])
    assert list(V.channel_split(with_missing, "fr").data[0].labels) == ["téléphone", "e-mail"]


HEAT = pd.DataFrame({"answer_rate": [1.0, 0.95, 0.70, 0.80], "offered": [20, 30, 25, 4]},
                    index=pd.MultiIndex.from_tuples([("mon", 9), ("tue", 10), ("wed", 11), ("thu", 12)],
                                                    names=["weekday", "hour"]))


def test_heatmap_advises_more_agents_only_where_the_target_is_missed():
    # every slot at 100 %: the page said "Weakest slots … Consider moving agents to these slots"
    on_target = HEAT.iloc[:2]
    assert C.comment_heatmap(on_target, "fr") == ("Tous les créneaux chargés atteignent l'objectif de "
                                                  "taux de décroché (QS) (85,0 %). Pic de volume : mar 10h.")
    # the slots below the target only (thu 12h: too few calls to count)
    fr = C.comment_heatmap(HEAT, "fr")
    assert fr.startswith("Créneaux les plus faibles en taux de décroché (QS) : mer 11h (70,0 %, 25 appels).")
    assert "lun 09h" not in fr and "mar 10h (" not in fr
    # the client's own target
    assert "mar 10h (95,0 %" in C.comment_heatmap(HEAT, "fr", targets={"answer_rate": 0.99})


def test_index_says_why_a_report_was_skipped_in_the_client_language():
    # a French index page said "Ignoré — no responses data (client.yml data.responses)"
    from cxtoolkit.audit.index import render_index
    from cxtoolkit.needs import PAGE_NEEDS

    reasons = {"journey": PAGE_NEEDS["journey"].missing_data({"responses": None}),
               "quality": PAGE_NEEDS["quality"].missing_data({"evaluations": 0}),
               "kpis": PAGE_NEEDS["kpis"].missing_data({})}
    assert reasons["kpis"] == "no contacts, daily_reports nor responses data"   # the shapes parsed
    info = {"client": "acme", "client_name": "Acme", "period": "2026-10", "status": "ok", "downloads": [],
            "notebooks": [{"name": n, "title": n, "status": "skipped", "reason": r} for n, r in reasons.items()]}
    fr = render_index(info, locale="fr")
    for r in reasons.values():
        assert r not in fr, r
    import html

    text = html.unescape(fr)
    assert "aucune donnée « réponses d'enquête » (client.yml data.responses)" in text
    assert "aucune donnée « évaluations qualité » sur la période" in text
    assert "aucune donnée : ni contacts, ni rapports quotidiens, ni réponses d'enquête" in text
    en = render_index(info, locale="en")
    assert all(r in en for r in reasons.values())


def test_daily_report_with_its_service_level_says_how_it_is_computed():
    """A daily report's own service level (call_centre_daily's "Service Level (20 Seconds)")
    shows as a tile, and the page's first line says it is the report's, weighted by offered calls."""
    from cxtoolkit.apps.views import render_kpis

    daily = pd.DataFrame({"date": pd.to_datetime(["2026-05-04", "2026-05-05"]), "offered": [10, 30],
                          "answered": [9, 27], "abandoned": [1, 3], "asa_s": [20.0, 30.0],
                          "aht_s": [200.0, 180.0], "service_level": [0.9, 0.5]})
    shown = []
    render_kpis(ClientConfig(client="acme", locale="fr"), ClientData(daily_reports=daily), {"loc": "fr"},
                emit=shown.append)
    page = "\n".join(str(getattr(o, "data", "")) for o in shown)
    header = page.split("## ")[0]
    assert ("niveau de service : celui du rapport, décrochés en 20 s ou moins / appels présentés, "
            "pondéré par les appels présentés") in header
    assert "60,0 %" in page          # (0.9 × 10 + 0.5 × 30) / 40, not the mean of the days (70 %)
