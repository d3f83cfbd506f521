"""Labels and units of the report tables' columns that are not KPIs: the one place they are
declared (data only). KPI columns take their label and unit from the registry
(:data:`cxtoolkit.kpis.registry.KPIS`); :func:`cxtoolkit.report.tables.column_label` looks
here first for these keys, then in the registry.

``COLUMNS``: ``key -> (French label, English label, unit)``; units are those of
:func:`cxtoolkit.rules.format_value` plus ``text`` (shown as is) and ``bool`` (oui / yes).
A label may hold ``{currency}`` (filled with the client's currency).

``VALUES``: code values shown in a column, by column key: ``code -> (French, English)``.

``LABEL_COLUMNS``: frame columns holding a label per language (``stage_label_fr`` /
``stage_label_en``) and the key their label is shown under.
"""
from __future__ import annotations

from cxtoolkit.rules import WEEKDAY_LABELS

COLUMNS: dict[str, tuple[str, str, str]] = {
    # journey: friction map, key drivers, paths
    "stage_label": ("Étape du parcours", "Journey stage", "text"),
    "volume_share": ("Part du volume de contacts", "Share of contact volume", "ratio"),
    "friction_index": ("Indice de friction", "Friction index", "score"),
    "p_value": ("p (test de l'écart)", "p-value of the gap", "pvalue"),
    "significant": ("Écart significatif", "Significant gap", "bool"),
    "too_few_answers": ("Trop peu de réponses", "Too few answers", "bool"),
    "rank": ("Rang", "Rank", "count"),
    "customers": ("Clients", "Customers", "count"),
    "impact": ("Impact sur la note globale", "Impact on the overall score", "score"),
    "impact_ci_low": ("Impact, borne basse (IC 95 %)", "Impact, low end (95% CI)", "score"),
    "impact_ci_high": ("Impact, borne haute (IC 95 %)", "Impact, high end (95% CI)", "score"),
    "importance": ("Importance relative", "Relative importance", "ratio"),
    "performance": ("Performance (CSAT top-2)", "Performance (CSAT top-2)", "ratio"),
    "quadrant_label": ("Priorité", "Priority", "text"),
    # cross-country comparability
    "country": ("Pays", "Country", "text"),
    "nps_benchmark": ("NPS de référence du pays", "Country benchmark NPS", "nps"),
    "nps_gap": ("Écart au NPS de référence", "Gap to the benchmark NPS", "nps"),
    "nps_gap_significant": ("Écart significatif", "Significant gap", "bool"),
    "nps_z": ("Écart normalisé (z)", "Normalised gap (z)", "score"),
    "rank_raw": ("Rang (NPS brut)", "Rank (raw NPS)", "count"),
    "rank_normalised": ("Rang (NPS normalisé)", "Rank (normalised NPS)", "count"),
    "ranking_basis": ("Base du classement", "Ranking basis", "text"),
    # verbatims
    "theme_label": ("Thème", "Theme", "text"),
    "source": ("Origine du thème", "Theme source", "text"),
    "mentions": ("Mentions", "Mentions", "count"),
    "share_unhappy": ("Part chez les très insatisfaits", "Share among the very unhappy", "ratio"),
    "share_happy": ("Part chez les satisfaits", "Share among the happy", "ratio"),
    "lift": ("Surreprésentation (lift)", "Lift", "multiple"),
    "lift_ci_low": ("Lift, borne basse (IC 95 %)", "Lift, low end (95% CI)", "multiple"),
    "lift_ci_high": ("Lift, borne haute (IC 95 %)", "Lift, high end (95% CI)", "multiple"),
    "theme_kind": ("Nature", "Kind", "text"),
    "signal_reason": ("Pourquoi ce signal", "Why it is flagged", "text"),
    "growth": ("Croissance des mentions", "Growth in mentions", "multiple"),
    "severity": ("Niveau de gravité", "Severity level", "count"),
    "verbatims": ("Verbatims", "Verbatims", "count"),
    "share_of_classified": ("Part des verbatims classés", "Share of classified verbatims", "ratio"),
    "share_of_unhappy": ("Part des très insatisfaits", "Share of the very unhappy", "ratio"),
    # quality
    "agent_id": ("Conseiller", "Agent", "text"),
    "evaluations": ("Évaluations", "Evaluations", "count"),
    "qa_score": ("Note qualité (/100)", "QA score (/100)", "number"),
    "qa_score_sd": ("Dispersion de la note (écart-type)", "Score spread (standard deviation)", "number"),
    "critical_fail_rate": ("Taux d'erreurs critiques", "Critical-fail rate", "ratio"),
    "contact_id": ("Contact", "Contact", "text"),
    "n_evaluators": ("Évaluateurs", "Evaluators", "count"),
    "score_min": ("Note la plus basse", "Lowest score", "number"),
    "score_max": ("Note la plus haute", "Highest score", "number"),
    "score_sd": ("Écart-type des notes", "Standard deviation of the scores", "number"),
    "score_range": ("Écart entre évaluateurs", "Spread between evaluators", "number"),
    "evaluator_codes": ("Évaluateurs (codes)", "Evaluator codes", "text"),
    "scores": ("Notes données", "Scores given", "text"),
    "worst_criterion": ("Critère le plus discuté", "Most disputed criterion", "text"),
    "weeks": ("Semaines", "Weeks", "count"),
    "weeks_met": ("Semaines à l'objectif", "Weeks on target", "count"),
    "reviews": ("Écoutes", "Reviews", "count"),
    "reviews_per_week": ("Écoutes par semaine", "Reviews per week", "number"),
    # staffing
    "day": ("Jour", "Day", "text"),
    "calls": ("Appels / semaine", "Calls / week", "count"),
    "agent_hours": ("Heures en ligne (plan)", "Phone hours (plan)", "number"),
    "agent_hours_seen": ("Heures en ligne (vues)", "Phone hours (seen)", "number"),
    "extra_paid_hours": ("Heures payées en plus", "Extra paid hours", "number"),
    "extra_cost": ("Coût de l'écart ({currency})", "Cost of the gap ({currency})", "count"),
    "answer_rate_seen": ("Décroché observé", "Observed answer rate", "ratio"),
    "answer_rate_pred_seen": ("Décroché prévu (vus)", "Predicted answer rate (seen)", "ratio"),
    "answer_rate_plan": ("Décroché prévu (plan)", "Predicted answer rate (plan)", "ratio"),
    # KPI cuts
    "weekday": ("Jour", "Day", "text"),
    # segments (apps.views.SEGMENT_COLUMNS)
    "segment": ("Segment", "Segment", "text"),
    "channel": ("Canal", "Channel", "text"),
    "language": ("Langue", "Language", "text"),
    "queue": ("File d'attente", "Queue", "text"),
    "reason": ("Motif", "Reason", "text"),
    "product": ("Produit", "Product", "text"),
    "team": ("Équipe", "Team", "text"),
    "site": ("Site", "Site", "text"),
    "survey_type": ("Type d'enquête", "Survey type", "text"),
    "touchpoint": ("Point de contact", "Touchpoint", "text"),
    "vendor": ("Prestataire", "Vendor", "text"),
    # ROI report
    "input": ("Donnée", "Input", "text"),
    "output": ("Résultat", "Output", "text"),
    "data_source": ("Source", "Source", "text"),
    "note": ("Détail", "Detail", "text"),
    # index page
    "kpi": ("Indicateur", "Measure", "text"),
    "value": ("Valeur", "Value", "text"),
    "target": ("Objectif", "Target", "text"),
    "previous": ("Audit précédent", "Previous audit", "text"),
    "current": ("Cet audit", "This audit", "text"),
    "delta": ("Évolution", "Change", "text"),
    "significance": ("Significativité", "Significance", "text"),
    "period": ("Période", "Period", "text"),
    "report": ("Rapport", "Report", "text"),
    "status": ("Statut", "Status", "text"),
    "duration": ("Durée", "Duration", "text"),
    "notebook": ("Carnet exécuté", "Executed notebook", "text"),
    "error": ("Erreur ou motif", "Error or reason", "text"),
}

VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "theme_kind": {"irritant": ("irritant", "irritant"), "delighter": ("enchanteur", "delighter"),
                   "neutral": ("neutre", "neutral")},
    "source": {"dictionary": ("dictionnaire", "dictionary"), "discovered": ("découvert", "discovered")},
    "signal_reason": {"rare_extreme+growing": ("rare, très marqué et en hausse", "rare, extreme and growing"),
                      "rare_extreme": ("rare et très marqué", "rare and extreme"),
                      "growing": ("en hausse", "growing")},
    "weekday": {k: (WEEKDAY_LABELS["fr"][k], WEEKDAY_LABELS["en"][k]) for k in WEEKDAY_LABELS["en"]},
}

LABEL_COLUMNS: dict[str, tuple[str, str]] = {
    "stage_label": ("stage_label_fr", "stage_label_en"),
    "theme_label": ("label_fr", "label_en"),
    "quadrant_label": ("quadrant_fr", "quadrant_en"),
}

#: Words of the index page's RAG and significance (``code -> (French, English)``).
VALUES.update({
    "rag": {"green": ("objectif atteint", "on target"), "amber": ("proche de l'objectif", "close to target"),
            "red": ("objectif manqué", "target missed")},
    "significance": {"better": ("amélioration significative", "significant improvement"),
                     "worse": ("dégradation significative", "significant deterioration"),
                     "changed": ("écart significatif", "significant change"),
                     "not": ("pas d'écart significatif", "no significant change"),
                     "untested": ("sans test statistique", "not tested")},
    "status": {"ok": ("OK", "OK"), "failed": ("Échec", "Failed"), "skipped": ("Ignoré", "Skipped")},
})

#: Texts of the index page (``key -> (French, English)``; ``{…}`` filled by the page).
TEXTS: dict[str, tuple[str, str]] = {
    "audit": ("audit", "audit"),
    "status": ("Statut", "Status"),
    "headline": ("Chiffres clés", "Headline figures"),
    "target": ("objectif {value}", "target {value}"),
    "vs_previous": ("{delta} depuis {period}", "{delta} since {period}"),
    "no_kpi": ("Pas de KPI calculés pour cet audit.", "No KPIs computed for this audit."),
    "findings": ("Constats principaux", "Top findings"),
    "changes": ("Évolutions depuis le dernier audit", "What changed since last audit"),
    "compared": ("Comparé à l'audit {period}. Écart significatif : NPS |Δ| > 1,96·√(SE₁² + SE₂²) ; "
                 "taux : test z de deux proportions, p < 0,05.",
                 "Compared with the {period} audit. Significant: NPS |Δ| > 1.96·√(SE₁² + SE₂²); "
                 "rates: two-proportion z-test, p < 0.05."),
    "first": ("Premier audit de ce client ou pas de KPI comparables.",
              "First audit of this client or no comparable KPIs."),
    "history": ("Historique des audits", "Audit history"),
    "history_wait": ("Le graphique d'historique apparaît à partir de deux audits.",
                     "The history chart appears from the second audit on."),
    "reports": ("Rapports", "Reports"),
    "files": ("Téléchargements", "Downloads"),
    "generated": ("Généré par cxtoolkit", "Generated by cxtoolkit"),
}
