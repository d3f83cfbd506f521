"""Verbatim analysis (cxtoolkit.verbatims): themes, lift, labels, severity, weak signals."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cxtoolkit.errors import InputError
from cxtoolkit.verbatims import (SEVERITY, analyse_verbatims, comment_verbatims, lift_ci,
                                 lift_label, load_themes, tag_themes, to_records)


@pytest.fixture(scope="module")
def themes():
    return load_themes()


def test_lift_known_answer():
    # a=20 of 100 unhappy, b=10 of 200 happy: lift = 0.20 / 0.05 = 4
    lift, lo, hi = lift_ci(20, 100, 10, 200)
    se = math.sqrt(1 / 20 - 1 / 100 + 1 / 10 - 1 / 200)
    assert lift == pytest.approx(4.0)
    assert lo == pytest.approx(4 * math.exp(-1.959964 * se), rel=1e-5)
    assert hi == pytest.approx(4 * math.exp(1.959964 * se), rel=1e-5)
    assert lift_label(lo, hi).item() == "irritant"


def test_lift_zero_cell_uses_haldane_and_undefined_is_nan():
    lift, lo, hi = lift_ci([5, 0, 3], [50, 50, 0], [0, 0, 1], [100, 100, 10])
    # 5.5/51 over 0.5/101
    assert lift[0] == pytest.approx((5.5 / 51) / (0.5 / 101))
    assert np.isnan(lift[1]) and np.isnan(lift[2])     # never mentioned / no unhappy answers
    assert lift_label(lo, hi).tolist() == ["irritant", "neutral", "neutral"]


def test_labels_on_small_fixture():
    # delivery: 30/40 unhappy vs 2/60 happy → irritant; friendly: 1/40 vs 40/60 → delighter;
    # website: 4/40 vs 6/60 → same share → neutral
    n_u, n_h = 40, 60
    text = (["Colis jamais reçu"] * 30 + ["Conseiller aimable"] * 1 + ["Bug du site"] * 4 + ["rien"] * 5
            + ["Colis jamais reçu"] * 2 + ["Conseiller aimable"] * 40 + ["Bug du site"] * 6 + ["rien"] * 12)
    r = pd.DataFrame({"verbatim": text, "csat": [1.0] * n_u + [5.0] * n_h, "language": "fr"})
    t = analyse_verbatims(r, discover=False).themes.set_index("theme")
    assert t.loc["delivery_delay", ["mentions", "mentions_unhappy", "mentions_happy"]].tolist() == [32, 30, 2]
    assert t.loc["delivery_delay", "lift"] == pytest.approx((30 / 40) / (2 / 60))
    assert t.loc["delivery_delay", "label"] == "irritant"
    assert t.loc["friendly_agent", "label"] == "delighter"
    assert t.loc["website_app", "lift"] == pytest.approx(1.0)
    assert t.loc["website_app", "label"] == "neutral"


@pytest.mark.parametrize("lang,text,theme", [
    ("fr", "J'ai été facturé deux fois", "billing_error"),
    ("fr", "Très DÉÇU, l'appareil ne fonctionne pas", "product_defect"),
    ("fr", "Je vais saisir le médiateur", "dispute"),
    ("fr", "La conseillère m'a raccroché au nez", "rude_agent"),
    ("en", "I was charged twice this month", "billing_error"),
    ("en", "The parcel never arrived", "delivery_delay"),
    ("en", "Such a friendly and helpful agent", "friendly_agent"),
    ("en", "I will contact the ombudsman", "dispute"),
    ("es", "Me cobraron dos veces", "billing_error"),
    ("es", "El pedido llegó con retraso", "delivery_delay"),
    ("es", "Muy amable la chica", "friendly_agent"),
    ("es", "Voy a poner una denuncia", "dispute"),
])
def test_theme_tagging_per_language(themes, lang, text, theme):
    t = tag_themes(pd.Series([text]), pd.Series([lang]), themes)
    assert bool(t.loc[0, theme])


def test_language_dictionary_is_used_and_unknown_language_gets_all(themes):
    # "retard" is a French term only: an English-tagged row does not match it
    t = tag_themes(pd.Series(["retard", "retard"]), pd.Series(["en", None], dtype="string"), themes)
    assert t["delivery_delay"].tolist() == [False, True]


def test_severity_order_and_classification():
    assert [SEVERITY[k][1] for k in sorted(SEVERITY)] == [
        "Change of contract or features", "Disappointment at first use", "Sense of injustice",
        "Unconcerned or rude interlocutor", "Dispute"]
    r = pd.DataFrame({"verbatim": ["Hausse de prix sans prévenir", "Produit cassé, déçu",
                                   "Remise non appliquée, injuste", "Conseiller impoli",
                                   "Conseiller impoli, je saisis le médiateur", "Conseiller impoli"],
                      "csat": [1.0, 2, 1, 1, 1, 5], "language": "fr"})
    out = analyse_verbatims(r, discover=False)
    # highest level wins (row 4: rude 4 + dispute 5 → 5); happy answers are not classified
    assert out.tagged["severity"].tolist()[:5] == [1, 2, 3, 4, 5]
    assert pd.isna(out.tagged["severity"].iloc[5])
    assert out.severity["verbatims"].tolist() == [1, 1, 1, 1, 1]
    assert out.severity["share_of_unhappy"].tolist() == pytest.approx([0.2] * 5)


def test_examples_are_masked_and_input_not_mutated():
    r = pd.DataFrame({"verbatim": ["Colis jamais reçu, rappelez-moi au 06 12 34 56 78"] * 3,
                      "csat": [1.0] * 3, "language": "fr"})
    before = r.copy()
    out = analyse_verbatims(r, discover=False)
    ex = out.themes.set_index("theme").loc["delivery_delay", "examples"]
    assert ex == ["Colis jamais reçu, rappelez-moi au [PHONE]"]       # deduplicated, masked
    pd.testing.assert_frame_equal(r, before)


def test_growing_theme_is_a_weak_signal():
    jan = ["Conseiller aimable"] * 95 + ["Colis jamais reçu"] * 5
    feb = ["Conseiller aimable"] * 70 + ["Colis jamais reçu"] * 30
    r = pd.DataFrame({"verbatim": jan + feb, "csat": 3.0, "language": "fr",
                      "responded_at": pd.to_datetime(["2026-01-15"] * 100 + ["2026-02-15"] * 100)})
    out = analyse_verbatims(r, discover=False)
    ws = out.weak_signals.set_index("theme")
    assert "delivery_delay" in ws.index and ws.loc["delivery_delay", "reason"] == "growing"
    assert ws.loc["delivery_delay", "growth"] == pytest.approx(6.0)
    assert "friendly_agent" not in ws.index


def test_rare_extreme_theme_is_a_weak_signal():
    text = ["Je saisis le médiateur"] * 4 + ["rien à dire"] * 96 + ["parfait"] * 200
    r = pd.DataFrame({"verbatim": text, "csat": [1.0] * 100 + [5.0] * 200, "language": "fr"})
    ws = analyse_verbatims(r, discover=False, rare_share=0.02).weak_signals.set_index("theme")
    assert ws.loc["dispute", "reason"] == "rare_extreme"


def test_discovery_surfaces_a_new_subject():
    rng = np.random.default_rng(0)
    new = [f"le routeur wifi coupe {w}" for w in rng.choice(["le soir", "souvent", "la nuit"], 120)]
    other = [f"la tablette graphique {w}" for w in rng.choice(["grésille", "chauffe", "clignote"], 120)]
    r = pd.DataFrame({"verbatim": new + other + ["Colis jamais reçu"] * 60, "csat": 2.0,
                      "language": "fr"})
    t = analyse_verbatims(r, n_topics=2, seed=0).themes
    disc = t[t["source"] == "discovered"]
    assert len(disc) == 2
    terms = {w for ts in disc["terms"] for w in ts[:3]}
    assert {"routeur", "wifi"} <= terms or {"routeur", "coupe"} <= terms
    assert disc["mentions"].sum() == 240           # dictionary matches are not re-discovered
    # seeded: same result twice
    t2 = analyse_verbatims(r, n_topics=2, seed=0).themes
    assert t2[t2["source"] == "discovered"]["terms"].tolist() == disc["terms"].tolist()


def test_records_and_comments():
    r = pd.DataFrame({"verbatim": ["Colis jamais reçu"] * 20 + ["Très aimable"] * 20,
                      "csat": [1.0] * 20 + [5.0] * 20, "language": "fr"})
    out = analyse_verbatims(r, discover=False)
    recs = to_records(out.themes)
    assert {"theme", "terms", "mentions", "lift", "label", "examples"} <= set(recs[0])
    assert all(rec["label"] in ("irritant", "delighter", "neutral") for rec in recs)
    fr = comment_verbatims(out, "fr")
    assert fr[0].startswith("Irritant principal : « Retard de livraison »")
    assert any("enchant" in s or "Points forts" in s for s in fr)


def test_no_verbatim_column_is_an_input_error():
    with pytest.raises(InputError, match="verbatim"):
        analyse_verbatims(pd.DataFrame({"csat": [1.0]}))


def test_bad_dictionary_is_an_input_error(tmp_path):
    (tmp_path / "fr.yml").write_text("themes:\n  x:\n    severity: 9\n    terms: [a]\n")
    with pytest.raises(InputError, match="severity"):
        load_themes(tmp_path)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 30), st.integers(1, 60), st.integers(0, 30), st.integers(1, 60))
def test_lift_interval_contains_estimate_and_label_is_consistent(a, n1, b, n2):
    a, b = min(a, n1), min(b, n2)
    lift, lo, hi = (float(x) for x in lift_ci(a, n1, b, n2))
    lab = lift_label(lo, hi).item()
    if math.isnan(lift):
        assert lab == "neutral"
    else:
        assert lo <= lift <= hi
        assert (lab == "irritant") == (lo > 1) and (lab == "delighter") == (hi < 1)


# a word that only shares its first letters with a theme's term is not that theme (the
# terms match at the start of a word): "appliquée" is no app, "patienter" no patient
# adviser, "simplement" no ease, "courteous" no court case, "buenas tardes" no delay...
@pytest.mark.parametrize("lang,text,theme", [
    ("fr", "On m'avait promis une remise qui n'a jamais été appliquée.", "website_app"),
    ("fr", "J'ai dû patienter 40 minutes avant d'avoir quelqu'un.", "friendly_agent"),
    ("fr", "C'est tout simplement inadmissible.", "ease"),
    ("fr", "Aucune réaction de votre part malgré mes relances.", "fast_service"),
    ("fr", "Le volet roulant livré est rayé.", "unfair_treatment"),
    ("en", "Courteous staff, thank you.", "dispute"),
    ("en", "It was kind of slow to load.", "friendly_agent"),
    ("es", "Buenas tardes, la factura no es correcta.", "delivery_delay"),
    ("es", "¿Qué ha ocurrido con mi pedido?", "dispute"),
    ("es", "El consumo de datos de este mes es raro.", "dispute"),
])
def test_a_word_sharing_a_stem_is_not_the_theme(themes, lang, text, theme):
    t = tag_themes(pd.Series([text]), pd.Series([lang]), themes)
    assert not bool(t.loc[0, theme])


@pytest.mark.parametrize("lang,text,theme", [
    ("fr", "L'appli plante à chaque connexion.", "website_app"),
    ("fr", "Application simple et pratique.", "website_app"),
    ("fr", "Application simple et pratique.", "ease"),
    ("fr", "Conseillère très patiente.", "friendly_agent"),
    ("fr", "Service très réactif.", "fast_service"),
    ("fr", "On m'a volé mon colis.", "unfair_treatment"),
    ("en", "She was very kind and patient.", "friendly_agent"),
    ("en", "I will take you to court.", "dispute"),
    ("es", "El paquete llegó tarde.", "delivery_delay"),
    ("es", "Voy a ir a la oficina de consumo.", "dispute"),
    ("es", "Lo denunciaré ante la OCU.", "dispute"),
])
def test_the_stems_still_find_their_theme(themes, lang, text, theme):
    t = tag_themes(pd.Series([text]), pd.Series([lang]), themes)
    assert bool(t.loc[0, theme])


def test_commentary_groups_the_thousands():
    """Mentions and verbatim counts in the commentary are written as the tables write them."""
    r = pd.DataFrame({"verbatim": ["Colis jamais reçu, je saisis le médiateur"] * 1200 + ["Très aimable"] * 1500,
                      "csat": [1.0] * 1200 + [5.0] * 1500, "language": "fr"})
    a = analyse_verbatims(r, discover=False)
    fr, en = " ".join(comment_verbatims(a, "fr")), " ".join(comment_verbatims(a, "en"))
    assert "(1\u202f200 mentions)" in fr and "(1\u202f200 verbatims)" in fr and "1200" not in fr
    assert "(1,200 mentions)" in en and "1200" not in en


def test_discovered_subjects_read_as_french_words():
    """A new subject is named by words a French reader recognises: accents kept (« écran »,
    « déposé »), singular and plural one word (routeur / routeurs), no masking tag
    (« address » from [ADDRESS]) and no filler word (depuis, chez, était)."""
    rng = np.random.default_rng(0)
    routers = ["Le routeur coupe le wifi depuis la mise à jour, c'était mieux avant",
               "Les routeurs ne captent plus le wifi, toujours rien aujourd'hui",
               "Mon routeur redémarre sans arrêt, j'ai déjà essayé plusieurs fois",
               "Encore une coupure du wifi, le routeur clignote en rouge depuis hier"]
    tablets = ["La tablette chauffe quand elle est en charge, jamais vu ça",
               "Les tablettes grésillent, la charge ne tient pas, c'était prévisible",
               "Ma tablette ne charge plus depuis que j'ai changé le câble",
               "Écran de la tablette qui clignote pendant la charge, rien à faire"]
    parcels = ["Déposé au 12 rue des Lilas 75011 Paris au lieu du 14 rue des Lilas, voisin absent",
               "Déposé au 3 avenue Foch 69006 Lyon chez le voisin, je n'étais pas là"]
    text = [str(x) for x in rng.choice(routers, 150)] + [str(x) for x in rng.choice(tablets, 150)] \
        + [str(x) for x in rng.choice(parcels, 150)]
    r = pd.DataFrame({"verbatim": text, "csat": 2.0, "language": "fr"})
    t = analyse_verbatims(r, n_topics=3, seed=0).themes
    disc = t[t["source"] == "discovered"]
    words = [w for ts in disc["terms"] for w in ts]
    assert "address" not in words and not {"depuis", "chez", "etait", "etais"} & set(words)
    assert "routeurs" not in words and "tablettes" not in words
    assert {"routeur", "tablette", "déposé"} <= set(words)
    assert "écran" in words and "ecran" not in words and "depose" not in words
    assert any("déposé" in label for label in disc["label_fr"])


def test_a_major_theme_that_grows_is_said_growing_not_a_weak_signal():
    """A theme cited by 30 % of the verbatims that grows six-fold is no *weak* signal: the
    commentary says it grows, by how much, and how often it is cited."""
    jan = ["Conseiller aimable"] * 95 + ["Colis jamais reçu"] * 5
    feb = ["Conseiller aimable"] * 70 + ["Colis jamais reçu"] * 30
    r = pd.DataFrame({"verbatim": jan + feb, "csat": 3.0, "language": "fr",
                      "responded_at": pd.to_datetime(["2026-01-15"] * 100 + ["2026-02-15"] * 100)})
    out = analyse_verbatims(r, discover=False)
    fr, en = comment_verbatims(out, "fr"), comment_verbatims(out, "en")
    assert not any(line.startswith("Signal faible : « Retard de livraison »") for line in fr)
    assert ("En forte hausse sur la dernière période : « Retard de livraison » "
            "(part des verbatims × 6,0 ; 35 mentions en tout).") in fr
    assert 'Growing fast in the last period: "Late delivery" (share of verbatims × 6.0; 35 mentions in all).' in en
    # a rare theme tied to extreme scores stays a weak signal
    text = ["Je saisis le médiateur"] * 4 + ["rien à dire"] * 96 + ["parfait"] * 200
    rare = pd.DataFrame({"verbatim": text, "csat": [1.0] * 100 + [5.0] * 200, "language": "fr"})
    assert any(line.startswith("Signal faible : « Litige »")
               for line in comment_verbatims(analyse_verbatims(rare, discover=False, rare_share=0.02), "fr"))


def test_placeholders_are_answers_without_a_comment_not_verbatims():
    """« RAS », « . », « N/A », « Néant » fill a comment box without saying anything: they
    are not counted as verbatims (they weighed on every share and lift); a comment in any
    script, or « Rien », is one."""
    text = ["Colis jamais reçu"] * 10 + ["RAS", "r.a.s", ".", "-", "N/A", "Néant", "???", "Sans commentaire"] \
        + ["Очень плохо", "Rien"]
    r = pd.DataFrame({"verbatim": text, "csat": 1.0, "language": "fr"})
    out = analyse_verbatims(r, discover=False)
    assert len(out.tagged) == 12
    assert set(out.tagged["verbatim"]) == {"Colis jamais reçu", "Очень плохо", "Rien"}
    t = out.themes.set_index("theme")
    assert t.loc["delivery_delay", "share"] == pytest.approx(10 / 12)


@pytest.mark.parametrize("lang,text,reach", [
    ("en", "Still waiting for my parcel after 3 days.", False),
    ("en", "Still waiting for my £245 refund, nobody listens.", False),
    ("es", "Sigo esperando mi paquete después de 5 días.", False),
    ("en", "Waited 25 minutes on hold before anyone answered.", True),
    ("en", "Far too long a wait on the phone.", True),
    ("en", "Impossible to get through on a Monday morning.", True),
    ("en", "Terrible waiting times", True),
    ("en", "I waited over an hour to speak to someone", True),
    ("es", "Esperé 20 minutos antes de que me atendieran.", True),
    ("es", "Demasiado tiempo de espera al teléfono.", True),
])
def test_waiting_for_a_parcel_is_no_reachability_problem(themes, lang, text, reach):
    """« Attente / joignabilité » is about reaching the service: a customer still waiting for
    a parcel or a refund is late delivery or refund, not waiting time on the line."""
    t = tag_themes(pd.Series([text]), pd.Series([lang]), themes)
    assert bool(t.loc[0, "wait_time"]) is reach


@pytest.mark.parametrize("locale, said", [
    ("fr", "**Acme** — 3 verbatims analysés sur 6 réponses (3 sans commentaire)"),
    ("en", "**Acme** — 3 verbatims analysed out of 6 answers (3 without a comment)"),
])
def test_the_verbatims_page_says_its_base_as_the_cli(locale, said):
    """The page (audit and app) said « N verbatims » without its base: it says the verbatims
    analysed out of the answers, « RAS » and empty boxes counted as answers without a comment,
    in the words of ``cxtoolkit verbatims`` (one producer, :func:`verbatims_base`)."""
    from verbatim_pages import render

    from cxtoolkit.verbatims import verbatims_base

    r = pd.DataFrame({"verbatim": pd.array(["Colis jamais reçu", "Très aimable", "Rien", "RAS", "", None],
                                           dtype="string"), "csat": [1.0, 5.0, 3.0, 4.0, 4.0, 2.0], "language": "fr"})
    bundles, res = render(r, locale)
    assert bundles[0]["text/markdown"] == said
    assert said.endswith(verbatims_base(len(res.tagged), len(r)).render(locale))


_FR_WAIT = [  # (text, themes it must have, themes it must not have)
    ("Dans l'attente de mon colis depuis 10 jours.", {"delivery_delay"}, {"wait_time"}),
    ("J'ai attendu ma commande 3 semaines.", {"delivery_delay"}, {"wait_time"}),
    ("J'attends toujours mon remboursement.", {"refund"}, {"wait_time"}),
    ("Je suis en attente de mon remboursement depuis un mois.", {"refund"}, {"wait_time"}),
    ("Toujours dans l'attente d'un retour de votre part.", set(), {"wait_time"}),
    ("Conseiller très patient qui a pris 20 minutes pour tout m'expliquer.", {"friendly_agent"}, {"wait_time"}),
    ("J'ai attendu 45 minutes au téléphone avant d'avoir quelqu'un.", {"wait_time"}, set()),
    ("Attente interminable au téléphone.", {"wait_time"}, set()),
    ("Temps d'attente beaucoup trop long.", {"wait_time"}, set()),
    ("On m'a mis en attente pendant une demi-heure avec la musique.", {"wait_time"}, set()),
    ("Plus d'une heure d'attente au standard !", {"wait_time"}, set()),
    ("Service injoignable, personne ne décroche.", {"wait_time"}, set()),
    ("Impossible d'avoir un conseiller.", {"wait_time"}, set()),
    ("J'ai dû patienter 40 minutes avant d'avoir quelqu'un.", {"wait_time"}, set()),
    ("20 min d'attente pour rien.", {"wait_time"}, set()),
    ("Trop d'attente.", {"wait_time"}, set()),
    ("L'attente était insupportable.", {"wait_time"}, set()),
    ("Trop d'attente pour la livraison.", set(), {"wait_time"}),
    ("Commande mise en attente sans explication.", set(), {"wait_time"}),
    ("Temps d'attente de mon remboursement beaucoup trop long.", {"refund"}, {"wait_time"}),
    ("Vos pratiques commerciales sont douteuses.", set(), {"ease"}),
    ("C'est pratiquement impossible de vous joindre.", {"wait_time"}, {"ease"}),
    ("En pratique rien ne marche.", set(), {"ease"}),
    ("Très pratique, merci.", {"ease"}, set()),
    ("Vos pratiques commerciales sont douteuses mais l'appli est pratique.", {"ease", "website_app"}, set()),
]


@pytest.mark.parametrize("language", ["fr", None])
@pytest.mark.parametrize("text,has,has_not", _FR_WAIT)
def test_french_waiting_is_reaching_the_service_and_pratiques_commerciales_no_ease(themes, text, has,
                                                                                     has_not, language):
    """French « attente / attendu » counted a parcel or a refund awaited as waiting time
    (« dans l'attente de mon colis ») and « pratiques commerciales » / « pratiquement » as
    ease; the waits on the phone, N minutes, on hold, nobody answering still count. The same
    holds for a verbatim of unknown language (matched with every dictionary)."""
    lang = None if language is None else pd.Series([language])
    t = tag_themes(pd.Series([text]), lang, themes)
    found = {k for k in t.columns if t.loc[0, k]}
    assert has <= found and not (has_not & found), found


def test_theme_exceptions_are_blanked_before_the_terms_and_must_be_a_list(tmp_path):
    (tmp_path / "fr.yml").write_text("themes:\n  ease:\n    terms: [pratique]\n"
                                     "    except: ['pratiques? commercial\\w*']\n")
    d = load_themes(tmp_path)
    t = tag_themes(pd.Series(["Pratiques commerciales", "Pratique commerciale, appli pratique"]),
                   pd.Series(["fr", "fr"]), d)
    assert t["ease"].tolist() == [False, True]
    (tmp_path / "fr.yml").write_text("themes:\n  ease:\n    terms: [pratique]\n    except: commercial\n")
    with pytest.raises(InputError, match="except"):
        load_themes(tmp_path)


def test_every_theme_pattern_runs_in_re2():
    """pandas may match with pyarrow's RE2: no lookaround nor backreference in any term."""
    pc = pytest.importorskip("pyarrow.compute")
    import pyarrow as pa

    from cxtoolkit.verbatims import _pattern

    d = load_themes()
    for by_key in list(d.terms.values()) + list(d.exceptions.values()):
        for terms in by_key.values():
            pc.match_substring_regex(pa.array(["x"]), _pattern(terms))
