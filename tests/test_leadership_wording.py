"""What leadership reads in a French audit, as a demanding consultant checks it: no code
name, the client's language, one number format (format_value) and French typography."""
from __future__ import annotations

import pandas as pd

from cxtoolkit.kpis import commentary as C

NNBSP = "\u202f"      # format_value's thousands separator in French


def test_french_lists_are_spaced_before_the_semicolon():
    st = pd.DataFrame({"key": ["abandonment_rate", "service_level"], "label": ["Taux d'abandon", "Niveau de service"],
                       "value": [0.219, 0.393], "unit": ["ratio", "ratio"], "target": [0.15, 0.80],
                       "rag": ["red", "red"]})
    assert C.comment_status(st, "fr") == ("Sous l'objectif : Taux d'abandon 21,9 % (objectif 15,0 %) ; "
                                          "Niveau de service 39,3 % (objectif 80,0 %).")
    assert "%); Service" in C.comment_status(st.assign(label=["Abandonment rate", "Service level"]), "en")


def test_counts_in_sentences_use_the_one_number_format():
    row = pd.Series({"n": 3430, "csat": 0.607, "csat_n": 3137, "nps": -5.5, "nps_ci95": 3.3, "nps_n": 2022})
    assert C.comment_surveys(row, "fr") == f"CSAT 60,7 % (n=3{NNBSP}137). NPS -5,5 ± 3,3 (IC 95 %, n=2{NNBSP}022)."
    assert C.comment_surveys(row, "en") == "CSAT 60.7% (n=3,137). NPS -5.5 ± 3.3 (95% CI, n=2,022)."


def test_weakest_slots_keep_the_kpi_acronym_and_count_calls_like_the_tables():
    idx = pd.MultiIndex.from_tuples([("mon", 10), ("mon", 11), ("tue", 10)], names=["weekday", "hour"])
    heat = pd.DataFrame({"answer_rate": [0.504, 0.677, 0.9], "offered": [1637, 514, 600]}, index=idx)
    s = C.comment_heatmap(heat, "fr", top=1)
    assert s.startswith("Créneaux les plus faibles en taux de décroché (QS) : lun 10h (50,4 %, 1"
                        f"{NNBSP}637 appels)"), s


def test_channel_mix_names_channels_in_the_client_language():
    ch = pd.DataFrame({"contacts": [23015, 8693, 3647, 0]},
                      index=pd.Index(["phone", "email", "chat", "(missing)"], name="channel"))
    assert C.comment_channels(ch, "fr") == (f"Répartition : téléphone 65,1 %, e-mail 24,6 %, chat 10,3 % "
                                            f"sur 35{NNBSP}355 contacts.")
    assert C.comment_channels(ch, "en").startswith("Channel mix: phone 65.1%, email 24.6%, chat 10.3% of")
