"""KPI engine: metadata registry, contact-centre KPIs and survey KPIs."""
from cxtoolkit.kpis.registry import KPIS, Kpi, label, rag, target_of

__all__ = ["KPIS", "Kpi", "label", "rag", "target_of"]
