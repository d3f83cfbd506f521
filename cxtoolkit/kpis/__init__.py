"""KPI engine: metadata registry, contact-centre KPIs and survey KPIs.

>>> import pandas as pd
>>> from cxtoolkit.config import ClientConfig
>>> c = pd.DataFrame({"channel": ["phone"], "received_at": pd.to_datetime(["2026-05-04 10:00"]),
...                   "answered": [True], "wait_s": [12.0]})
>>> float(compute(c, cfg=ClientConfig(client="x")).loc["overall", "service_level"])
1.0
"""
from cxtoolkit.kpis.contacts import CONTACT_KPIS, aggregate_contacts, contact_kpis, prepare_contacts
from cxtoolkit.kpis.engine import SLICERS, compute, compute_many, group_codes, status_table, to_json
from cxtoolkit.kpis.registry import KPIS, Kpi, label, rag, target_of
from cxtoolkit.kpis.surveys import SURVEY_KPIS, survey_kpis

__all__ = [
    "KPIS", "Kpi", "label", "rag", "target_of",
    "CONTACT_KPIS", "SURVEY_KPIS", "SLICERS",
    "contact_kpis", "survey_kpis", "compute", "compute_many", "status_table", "to_json",
    "group_codes", "prepare_contacts", "aggregate_contacts",
]
