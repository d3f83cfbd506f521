"""Header aliases, value synonyms and schema declarations."""
from __future__ import annotations

import pytest

from cxtoolkit.schemas import (CONTACTS, DAILY_REPORTS, RESPONSES, SCHEMAS, normalise_header)


@pytest.mark.parametrize("header,canon", [
    ("Date d'appel", "received_at"), ("Date/heure", "received_at"), ("DATE / HEURE", "received_at"),
    ("Durée d'attente (s)", "wait_s"), ("Temps d'attente", "wait_s"), ("duree attente", "wait_s"),
    ("Agent", "agent_id"), ("Conseiller", "agent_id"), ("Canal", "channel"), ("Pays", "country"),
    ("Motif", "reason"), ("Décroché", "answered"), ("Répondu", "answered"),
    ("Durée de communication", "talk_s"), ("Temps de conversation", "talk_s"), ("Mise en attente", "hold_s"),
    ("Temps de clôture", "wrap_s"), ("Post-appel", "wrap_s"), ("Client", "customer_id"),
    ("N° client", "customer_id"), ("Wait time (sec)", "wait_s"), ("  CONTACT_ID ", "contact_id"),
    ("Talk Time", "talk_s"), ("Temps d'attente (hh:mm:ss)", "wait_s"),
])
def test_contacts_aliases(header, canon):
    assert CONTACTS.match(header) == canon


@pytest.mark.parametrize("header,canon", [
    ("Note", "csat"), ("Satisfaction", "csat"), ("Recommandation", "nps"), ("Effort", "ces"),
    ("Commentaire", "verbatim"), ("Verbatim", "verbatim"), ("Point de contact", "touchpoint"),
])
def test_responses_aliases(header, canon):
    assert RESPONSES.match(header) == canon


@pytest.mark.parametrize("header,canon", [
    ("Appels présentés", "offered"), ("Appels décrochés", "answered"), ("Abandons", "abandoned"),
    ("DMA", "asa_s"), ("DMT", "aht_s"), ("File", "queue"), ("Date", "date"),
])
def test_daily_aliases(header, canon):
    assert DAILY_REPORTS.match(header) == canon


def test_unknown_header_and_canonical_name_beats_alias():
    assert CONTACTS.match("Couleur préférée") is None
    assert CONTACTS.resolve(["Temps d'attente", "wait_s"]) == {"wait_s": "wait_s"}
    assert CONTACTS.resolve(["Agent", "Conseiller"]) == {"Agent": "agent_id"}


@pytest.mark.parametrize("raw,value", [
    ("Téléphone", "phone"), ("tel", "phone"), ("VOICE", "phone"), ("mail", "email"), ("Courriel", "email"),
    ("E-mail", "email"), ("tchat", "chat"), ("Chat", "chat"), ("Réseaux sociaux", "social"),
    ("WhatsApp", "messaging"), ("fax", None),
])
def test_channel_synonyms(raw, value):
    assert CONTACTS["channel"].canonical_value(raw) == value


def test_every_schema_declares_required_columns_and_canonical_names_resolve_to_themselves():
    assert set(SCHEMAS) == {"contacts", "responses", "sends", "evaluations", "agents", "daily_reports"}
    assert CONTACTS.required == ["contact_id", "channel", "received_at", "answered"]
    assert RESPONSES.required == ["response_id", "responded_at"]
    for s in SCHEMAS.values():
        assert len(set(s.names)) == len(s.names)
        for c in s.columns:
            assert s.match(c.name) == c.name


def test_normalise_header():
    assert normalise_header("\ufeffDurée d'attente (s)") == "duree_attente"
    assert normalise_header("N° client") == "n_client"
