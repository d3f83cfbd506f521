"""Verbatim analysis: what customers say, which subjects hurt and which delight.

Pipeline (all vectorised over the whole column, no per-row Python loops):

1. **Mask personal data first** (:func:`cxtoolkit.pii.mask_pii`): nothing downstream —
   themes, examples, exports — ever sees an e-mail, phone, IBAN, card number or name.
   Only answers with a comment are verbatims (:func:`has_comment`): an empty box, one
   holding only punctuation, or a placeholder (``RAS``, ``N/A``, ``Néant``) is none.
2. **Tag themes** from editable dictionaries, one per language, in
   ``templates/themes/{fr,en,es}.yml`` (theme → FR/EN labels, optional severity, terms,
   optional ``except`` phrases). A term is a stem or a regular expression matched at the
   start of a word, case- and accent-insensitive; the ``except`` phrases are blanked out
   before the theme's terms are searched (« pratiques commerciales » is no « pratique »
   application), so the patterns stay RE2-compatible (no lookaround). A response is
   tagged with the dictionary of its ``language`` (else of its ``country``: FR→fr,
   GB/IE/US→en, ES/MX→es); a response whose language is unknown is matched against
   every dictionary.
3. **Discover new subjects** among verbatims no dictionary theme matched: TF-IDF + NMF
   (scikit-learn, seeded), so subjects the dictionary does not know yet surface as
   ``new_1``, ``new_2``... with their top terms.
4. **Irritant or delighter**: a response is *unhappy* when csat ≤ 2 (else, without
   csat, nps ≤ 6) and *happy* when csat ≥ 4 (else nps ≥ 9); others are neither. For a
   theme mentioned by ``a`` of ``n1`` unhappy and ``b`` of ``n2`` happy answers,
   ``lift = (a / n1) / (b / n2)`` with a 95 % log-ratio (Katz) interval
   ``exp(ln lift ± 1.96 √(1/a − 1/n1 + 1/b − 1/n2))``; when ``a`` or ``b`` is 0, 0.5 is
   added to ``a`` and ``b`` and 1 to ``n1`` and ``n2`` (Haldane correction) for both
   the estimate and the interval. ``label`` is ``irritant`` when the interval's low
   end is above 1, ``delighter`` when its high end is below 1, else ``neutral``.
5. **Weak signals**: rare themes (mentioned by ≤ ``rare_share`` of verbatims, at least
   3 times) with an extreme lift (≥ 3 or ≤ 1/3), and themes whose share of verbatims
   grows versus the previous period (one-sided two-proportion test p < 0.05, at least
   5 mentions, share × 1.5 or new).
6. **Severity of dissatisfaction**, in the order customers' exasperation rises
   (:data:`SEVERITY`): 1 change of contract or features < 2 disappointment at first use
   < 3 sense of injustice < 4 unconcerned or rude interlocutor < 5 dispute. An unhappy
   verbatim's severity is the highest level among its themes.

Examples
--------
>>> import pandas as pd
>>> r = pd.DataFrame({"verbatim": ["Livraison en retard, appelez le 06 12 34 56 78",
...                                "Conseiller très aimable"],
...                   "csat": [1.0, 5.0], "language": ["fr", "fr"]})
>>> out = analyse_verbatims(r, discover=False)
>>> out.tagged.loc[0, "verbatim"]
'Livraison en retard, appelez le [PHONE]'
>>> sorted(out.themes.loc[out.themes["mentions"] > 0, "theme"])
['delivery_delay', 'friendly_agent']
"""
from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from cxtoolkit import messages, resources, rules, stats
from cxtoolkit.errors import InputError, YamlProblem
from cxtoolkit.findings import Finding, Items, Msg, Num, render_all
from cxtoolkit.jsonable import json_safe
from cxtoolkit.pii import TAGS, mask_pii

TEMPLATES = resources.template()
LANGUAGES = ("fr", "en", "es")
COUNTRY_LANGUAGE = {"FR": "fr", "BE": "fr", "LU": "fr", "CH": "fr", "GB": "en", "UK": "en",
                    "IE": "en", "US": "en", "CA": "en", "AU": "en", "ES": "es", "MX": "es",
                    "AR": "es", "CO": "es", "CL": "es"}

#: severity levels of dissatisfaction, in the order exasperation rises
# severity level -> (French, English) label, from the catalogue
SEVERITY = dict(sorted((int(k), v) for k, v in messages.pairs("verbatims.severity").items()))
LABELS = ("irritant", "delighter", "neutral")
LABEL_TEXT = messages.pairs("verbatims.label")   # irritant / delighter / neutral -> (French, English)
#: the words of the masking tags ("[ADDRESS]" → "address"): never a discovered subject
_TAG_WORDS = [t.strip("[]").lower() for t in TAGS]
#: a word for discovery: three letters or more, no digit
_TOKEN = re.compile(r"(?u)\b[^\W\d_]{3,}\b")
#: a plural ``s`` in folded text: at the end of a word of four letters or more, not after
#: ``s``, ``u`` or ``i`` (``colis``, ``plus``, ``stress`` keep theirs)
_PLURAL = re.compile(r"\b([a-z]{2,}[a-hj-rtv-z])s\b")


def _singular(text: str) -> str:
    """Folded ``text`` with its plural ``s`` dropped (:data:`_PLURAL`): the key a discovered
    word is counted under (``routeurs`` → ``routeur``, ``caps`` → ``cap``).

    >>> _singular("routeurs tablettes colis plus les issues")
    'routeur tablette colis plus les issue'
    """
    return _PLURAL.sub(r"\1", text)


def _surface_forms(text: pd.Series) -> dict[str, str]:
    """For each discovery key (folded, singular), its most frequent written form in ``text``
    (lower case, accents kept): a subject reads « écran, déposé », not « ecran, depose »."""
    words = text.astype("string").str.lower().str.findall(_TOKEN.pattern).explode().dropna()
    if words.empty:
        return {}
    counts = words.value_counts()
    keys = fold(pd.Series(counts.index, dtype="string")).map(_singular)
    # value_counts is sorted by frequency: the first form seen of a key is its most frequent
    return dict(zip(keys.iloc[::-1].tolist(), counts.index[::-1].tolist()))


# -- dictionaries --------------------------------------------------------------------
@dataclass
class ThemeDictionary:
    """Themes (key → labels, severity) and, per language, their terms, the phrases that
    are not the theme though they hold a term (``exceptions``) and stopwords."""

    themes: dict[str, dict] = field(default_factory=dict)
    terms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    stopwords: dict[str, list[str]] = field(default_factory=dict)
    exceptions: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def all_terms(self, key: str, of: str = "terms") -> list[str]:
        """The theme's terms (or ``of="exceptions"``) in every language, each once."""
        out: list[str] = []
        for by_key in getattr(self, of).values():
            out += [t for t in by_key.get(key, []) if t not in out]
        return out


def theme_folder(cfg=None) -> Path:
    """The client's own ``themes/`` folder when it has one, else ``templates/themes``."""
    if cfg is not None and getattr(cfg, "folder", None) is not None:
        own = Path(cfg.folder) / "themes"
        if own.is_dir():
            return own
    return TEMPLATES / "themes"


def load_themes(folder: Path | str | None = None, languages=LANGUAGES) -> ThemeDictionary:
    """Read the theme dictionaries ``<folder>/<lang>.yml`` (default ``templates/themes``).

    >>> d = load_themes()
    >>> d.themes["dispute"]["severity"], "litige" in d.terms["fr"]["dispute"]
    (5, True)
    """
    folder = Path(folder) if folder else TEMPLATES / "themes"
    out = ThemeDictionary()
    for lang in languages:
        p = folder / f"{lang}.yml"
        if not p.is_file():
            continue
        try:
            raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise InputError("error.verbatims.valid_yaml", p=p, value=YamlProblem(exc)) from None
        themes = raw.get("themes") or {}
        if not isinstance(themes, dict):
            raise InputError("error.verbatims.themes_map_theme", p=p)
        out.terms[lang], out.exceptions[lang] = {}, {}
        out.stopwords[lang] = [str(w) for w in raw.get("stopwords") or []]
        for key, spec in themes.items():
            spec = spec or {}
            terms = spec.get("terms") or []
            if not isinstance(terms, list) or not terms:
                raise InputError("error.verbatims.theme_needs_non", p=p, key_=repr(key))
            sev = spec.get("severity")
            if sev is not None and int(sev) not in SEVERITY:
                raise InputError("error.verbatims.theme_severity", p=p, key_=repr(key), sev=repr(sev))
            meta = out.themes.setdefault(str(key), {"label_fr": str(key), "label_en": str(key),
                                                    "severity": None})
            meta["label_fr"] = spec.get("label_fr", meta["label_fr"])
            meta["label_en"] = spec.get("label_en", meta["label_en"])
            if sev is not None:
                meta["severity"] = int(sev)
            out.terms[lang][str(key)] = [str(t) for t in terms]
            unless = spec.get("except") or []
            if not isinstance(unless, list):
                raise InputError("error.verbatims.theme_except_list", p=p, key_=repr(key))
            if unless:
                out.exceptions[lang][str(key)] = [str(t) for t in unless]
    if not out.themes:
        raise InputError("error.verbatims.theme_dictionary_found", folder=folder)
    return out


# -- text helpers --------------------------------------------------------------------
def _fold_char(c: str) -> str:
    d = unicodedata.normalize("NFKD", c)
    return "".join(x for x in d if not unicodedata.combining(x)) or c


_FOLD = str.maketrans({c: _fold_char(c) for c in
                       "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŒÆ’"
                       if _fold_char(c) != c} | {"’": "'", "œ": "oe", "æ": "ae"})


def fold(text: pd.Series) -> pd.Series:
    """Lower-case and strip accents (vectorised), so "Facturé" matches the stem "factur".

    >>> fold(pd.Series(["Déçu, très DÉÇU"])).iloc[0]
    'decu, tres decu'
    """
    # what is left outside ASCII (€, £, ¿, emoji...) becomes a space: the word-boundary
    # patterns then run in pyarrow's RE2 engine instead of falling back to Python's re
    return (text.astype("string").str.lower().str.translate(_FOLD)
            .str.replace(r"[^\x00-\x7f]", " ", regex=True))


#: what customers type in a comment box to leave it empty (folded: accents and case ignored)
NO_COMMENT = ("ras", "r a s", "neant", "nc", "n c", "na", "n a", "sans commentaire", "aucun commentaire",
              "pas de commentaire", "no comment", "no comments", "none", "nil", "sin comentarios", "ninguno")


def has_comment(text: pd.Series) -> pd.Series:
    """Does each answer hold a comment? Not when it is empty, holds no letter nor digit
    (``.``, ``-``, ``/``, ``...``) or is a placeholder of :data:`NO_COMMENT` (``RAS``,
    ``N/A``, ``Néant``, ``No comment``): those are answers without a comment, not verbatims.

    >>> has_comment(pd.Series(["Colis jamais reçu", " ", ".", "R.A.S.", "N/A", "néant", None, "Rien", "Очень плохо", "😡"])).tolist()
    [True, False, False, False, False, False, False, True, True, True]
    """
    text = text.astype("string").fillna("")
    # any character but ASCII punctuation and spaces: a letter of any script, a digit, an emoji
    content = text.str.contains(r"[^\s!-/:-@\[-`{-~]", regex=True).fillna(False)
    words = fold(text).str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()
    return content & ~words.isin(list(NO_COMMENT))


def _pattern(terms: list[str]) -> str:
    # capturing groups become non-capturing (faster, and no pandas warning)
    folded = [re.sub(r"(?<!\\)\((?!\?)", "(?:", t.lower().translate(_FOLD)) for t in terms]
    return r"\b(?:" + "|".join(f"(?:{t})" for t in folded) + ")"


def _mentions(folded: pd.Series, terms: list[str], unless: list[str]) -> np.ndarray:
    """Does each folded text hold one of ``terms`` once the ``unless`` phrases are blanked out?"""
    if unless:
        folded = folded.str.replace(_pattern(unless), " ", regex=True)
    return folded.str.contains(_pattern(terms), regex=True).to_numpy(dtype=bool)


def response_language(responses: pd.DataFrame) -> pd.Series:
    """Dictionary language per response: ``language`` column, else ``country``; NA if unknown."""
    out = pd.Series(pd.NA, index=responses.index, dtype="string")
    if "country" in responses:
        out = responses["country"].astype("string").str.upper().map(COUNTRY_LANGUAGE).astype("string")
    if "language" in responses:
        lang = responses["language"].astype("string").str.lower().str[:2]
        out = lang.where(lang.isin(list(LANGUAGES)), out)
    return out


def tag_themes(text: pd.Series, language: pd.Series | None, dictionary: ThemeDictionary) -> pd.DataFrame:
    """Boolean frame (rows of ``text`` × theme keys): does the verbatim mention the theme?

    Each row is matched with its language's terms; rows of unknown language with all terms.
    A theme's ``except`` phrases do not count as its terms.

    >>> d = load_themes()
    >>> t = tag_themes(pd.Series(["Colis jamais reçu", "Very rude agent"]), None, d)
    >>> t.loc[0, "delivery_delay"], t.loc[1, "rude_agent"], t.loc[1, "delivery_delay"]
    (np.True_, np.True_, np.False_)
    """
    folded = fold(text).fillna("")
    out = pd.DataFrame(False, index=text.index, columns=list(dictionary.themes))
    langs = [lang for lang in LANGUAGES if lang in dictionary.terms]
    if language is None:
        language = pd.Series(pd.NA, index=text.index, dtype="string")
    known = language.isin(langs).fillna(False).to_numpy(dtype=bool)
    for lang in langs:
        rows = (language == lang).fillna(False).to_numpy(dtype=bool)
        if not rows.any():
            continue
        sub = folded[rows]
        for key, terms in dictionary.terms[lang].items():
            out.loc[rows, key] = _mentions(sub, terms, dictionary.exceptions.get(lang, {}).get(key, []))
    if (~known).any():
        sub = folded[~known]
        for key in dictionary.themes:
            out.loc[~known, key] = _mentions(sub, dictionary.all_terms(key),
                                             dictionary.all_terms(key, "exceptions"))
    return out


# -- statistics ----------------------------------------------------------------------
def lift_ci(a, n1, b, n2, z: float = stats.Z95):
    """Lift of a theme among unhappy vs happy answers and its 95 % log-ratio interval.

    Parameters
    ----------
    a, n1 : mentions among unhappy answers, number of unhappy answers
    b, n2 : mentions among happy answers, number of happy answers

    Returns
    -------
    (lift, low, high) : arrays (NaN when n1 or n2 is 0 or the theme is never mentioned)

    Examples
    --------
    >>> lift, lo, hi = lift_ci(20, 100, 10, 200)
    >>> round(float(lift), 2), round(float(lo), 3), round(float(hi), 3)
    (4.0, 1.947, 8.219)
    """
    a, n1, b, n2 = (np.asarray(x, dtype="float64") for x in (a, n1, b, n2))
    zero = ((a == 0) | (b == 0)).astype("float64")
    a_, b_ = a + 0.5 * zero, b + 0.5 * zero
    n1_, n2_ = n1 + zero, n2 + zero
    bad = (n1 <= 0) | (n2 <= 0) | ((a == 0) & (b == 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = (a_ / n1_) / (b_ / n2_)
        se = np.sqrt(np.clip(1 / a_ - 1 / n1_ + 1 / b_ - 1 / n2_, 0, None))
        lo, hi = lift * np.exp(-z * se), lift * np.exp(z * se)
    lift, lo, hi = (np.where(bad, np.nan, x) for x in (lift, lo, hi))
    return lift, lo, hi


def lift_label(low, high) -> np.ndarray:
    """``irritant`` when the interval is above 1, ``delighter`` when below 1, else neutral.

    >>> lift_label([1.2, 0.3, 0.8, np.nan], [3.0, 0.9, 1.5, np.nan]).tolist()
    ['irritant', 'delighter', 'neutral', 'neutral']
    """
    low, high = np.asarray(low, dtype="float64"), np.asarray(high, dtype="float64")
    return np.where(low > 1, "irritant", np.where(high < 1, "delighter", "neutral"))


def mood(responses: pd.DataFrame) -> pd.DataFrame:
    """Per response: ``unhappy`` (csat ≤ 2, else nps ≤ 6) and ``happy`` (csat ≥ 4, else nps ≥ 9).

    >>> mood(pd.DataFrame({"csat": [1, 3, 5, np.nan], "nps": [9, 9, 0, 10]})).values.tolist()
    [[True, False], [False, False], [False, True], [False, True]]
    """
    idx = responses.index
    csat = responses["csat"].astype("float64") if "csat" in responses else pd.Series(np.nan, index=idx)
    nps = responses["nps"].astype("float64") if "nps" in responses else pd.Series(np.nan, index=idx)
    has_c = csat.notna()
    unhappy = rules.very_unhappy(csat, nps)
    happy = rules.happy(csat, nps)
    return pd.DataFrame({"unhappy": unhappy.astype(bool), "happy": happy.astype(bool)}, index=idx)


# -- discovery -----------------------------------------------------------------------
def discover_themes(text: pd.Series, stopwords: list[str], n_topics: int = 5, seed: int = 0,
                    max_docs: int = 20_000, n_terms: int = 5, min_docs: int = 50):
    """Find subjects in ``text`` with TF-IDF + NMF (seeded); returns (themes, assignment).

    ``themes`` maps ``new_<i>`` to its top terms; ``assignment`` is a boolean frame
    (rows of ``text`` × new themes): the verbatim's strongest topic, when its weight is
    positive. Fitted on at most ``max_docs`` verbatims (a seeded sample), applied to all.
    Nothing is downloaded: scikit-learn only.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    empty = ({}, pd.DataFrame(index=text.index))
    text = text.dropna()
    if len(text) < min_docs:
        return empty
    # singular and plural counted as one word ("routeur", "routeurs")
    folded = fold(text).str.replace(_PLURAL.pattern, r"\1", regex=True)
    fit_on = folded.sample(n=min(max_docs, len(folded)), random_state=seed)
    stop = sorted({_singular(w.lower().translate(_FOLD)) for w in list(stopwords) + _TAG_WORDS})
    vec = TfidfVectorizer(stop_words=stop, token_pattern=_TOKEN.pattern, lowercase=False,
                          min_df=max(3, int(0.002 * len(fit_on))), max_df=0.5,
                          max_features=3000, ngram_range=(1, 1), dtype=np.float32)
    try:
        X = vec.fit_transform(fit_on.to_numpy(dtype=object))
    except ValueError:  # empty vocabulary
        return empty
    k = int(min(n_topics, X.shape[1], X.shape[0]))
    if k < 1:
        return empty
    nmf = NMF(n_components=k, random_state=seed, init="nndsvda", max_iter=200)
    with warnings.catch_warnings():  # sklearn's NMF may warn on tiny, repetitive corpora
        warnings.simplefilter("ignore")
        nmf.fit(X)
    vocab = np.asarray(vec.get_feature_names_out())
    top = np.argsort(-nmf.components_, axis=1)[:, :n_terms]
    names = [f"new_{i + 1}" for i in range(k)]
    shown = _surface_forms(text.loc[fit_on.index])
    themes = {n: [shown.get(w, w) for w in vocab[t]] for n, t in zip(names, top)}
    W = nmf.transform(vec.transform(folded.to_numpy(dtype=object)))
    best = W.argmax(axis=1)
    strong = W.max(axis=1) > 0
    assign = pd.DataFrame(False, index=text.index, columns=names)
    assign.iloc[:, :] = (best[:, None] == np.arange(k)[None, :]) & strong[:, None]
    return themes, assign.astype(bool)


# -- main analysis -------------------------------------------------------------------
@dataclass
class VerbatimAnalysis:
    """Result of :func:`analyse_verbatims`.

    ``tagged``: one row per verbatim (masked ``verbatim``, ``language``, ``unhappy``,
    ``happy``, ``period``, ``severity`` and one boolean column per theme);
    ``themes``: one row per theme; ``weak_signals``: same columns plus ``reason``;
    ``severity``: one row per severity level.
    """

    tagged: pd.DataFrame
    themes: pd.DataFrame
    weak_signals: pd.DataFrame
    severity: pd.DataFrame


def _examples(text: pd.Series, matches: pd.DataFrame, prefer: pd.DataFrame, k: int) -> list[list[str]]:
    ok_len = text.str.len().between(15, 300).fillna(False).to_numpy(dtype=bool)
    out = []
    for key in matches.columns:
        m = matches[key].to_numpy(dtype=bool)
        chosen = text[m & prefer[key].to_numpy(dtype=bool) & ok_len].drop_duplicates().head(k).tolist()
        if len(chosen) < k:
            rest = text[m & ok_len & ~text.isin(chosen).fillna(False).to_numpy(dtype=bool)]
            chosen += rest.drop_duplicates().head(k - len(chosen)).tolist()
        out.append(chosen)
    return out


def theme_table(matches: pd.DataFrame, unhappy: pd.Series, happy: pd.Series) -> pd.DataFrame:
    """Counts, shares, lift with its interval and label per theme (columns of ``matches``)."""
    M = matches.to_numpy(dtype=bool)
    u = unhappy.to_numpy(dtype=bool)
    h = happy.to_numpy(dtype=bool)
    n = len(matches)
    mentions = M.sum(axis=0)
    a, b = M[u].sum(axis=0), M[h].sum(axis=0)
    n1, n2 = int(u.sum()), int(h.sum())
    lift, lo, hi = lift_ci(a, n1, b, n2)
    return pd.DataFrame({
        "theme": list(matches.columns), "mentions": mentions,
        "share": stats.safe_div(mentions, n) if n else np.full(len(mentions), np.nan),
        "mentions_unhappy": a, "mentions_happy": b,
        "share_unhappy": stats.safe_div(a, n1) * np.ones(len(a)),
        "share_happy": stats.safe_div(b, n2) * np.ones(len(b)),
        "lift": lift, "lift_ci_low": lo, "lift_ci_high": hi, "label": lift_label(lo, hi),
    })


def analyse_verbatims(responses: pd.DataFrame, cfg=None, dictionary: ThemeDictionary | None = None,
                      *, discover: bool = True, n_topics: int = 5, seed: int = 0,
                      examples: int = 3, rare_share: float = 0.02,
                      current_period: str | None = None) -> VerbatimAnalysis:
    """Mask, tag, discover, score and classify the verbatims of ``responses``.

    Parameters
    ----------
    responses : canonical responses frame (``verbatim`` plus ``csat`` and/or ``nps``;
        optional ``language``/``country``, ``responded_at``).
    cfg : ClientConfig, optional — its folder may hold its own ``themes/`` dictionaries.
    dictionary : ThemeDictionary, optional — default :func:`load_themes` of :func:`theme_folder`.
    discover : run TF-IDF + NMF on verbatims no theme matched.
    current_period : ``YYYY-MM`` compared with the month before for growing themes
        (default: the latest month in the data).

    Returns
    -------
    VerbatimAnalysis
    """
    if "verbatim" not in responses:
        raise InputError("error.verbatims.verbatim_column_nothing")
    dictionary = dictionary or load_themes(theme_folder(cfg))
    r = responses.loc[has_comment(responses["verbatim"]).to_numpy(dtype=bool)]
    countries = r["country"].dropna().astype("str").unique().tolist() if "country" in r else []
    text = mask_pii(r["verbatim"], regions=tuple([getattr(cfg, "country", "") or ""] + countries))
    lang = response_language(r)
    md = mood(r)
    if "responded_at" in r:
        period = pd.to_datetime(r["responded_at"]).dt.to_period("M").astype("string")
    else:
        period = pd.Series(pd.NA, index=r.index, dtype="string")
    matches = tag_themes(text, lang, dictionary)
    meta = pd.DataFrame.from_dict(dictionary.themes, orient="index")
    meta["terms"] = [dictionary.all_terms(k) for k in meta.index]
    meta["source"] = "dictionary"

    if discover:
        unmatched = ~matches.any(axis=1)
        stop = [w for ws in dictionary.stopwords.values() for w in ws]
        new, assign = discover_themes(text[unmatched.to_numpy(dtype=bool)], stop,
                                      n_topics=n_topics, seed=seed)
        if new:
            assign = assign.reindex(text.index, fill_value=False).astype(bool)
            matches = pd.concat([matches, assign], axis=1)
            meta = pd.concat([meta, pd.DataFrame({
                "label_fr": [messages.text("verbatims.new_subject", "fr", terms=", ".join(t[:3])) for t in new.values()],
                "label_en": [messages.text("verbatims.new_subject", "en", terms=", ".join(t[:3])) for t in new.values()],
                "severity": None, "terms": list(new.values()), "source": "discovered"},
                index=list(new))])

    table = theme_table(matches, md["unhappy"], md["happy"]).set_index("theme")
    table = table.join(meta[["label_fr", "label_en", "severity", "terms", "source"]])
    prefer = pd.DataFrame({k: (md["happy"] if table.at[k, "label"] == "delighter" else md["unhappy"])
                           for k in matches.columns}, index=matches.index)
    table["examples"] = _examples(text, matches, prefer, examples)
    table["severity"] = pd.array(table["severity"].astype("float64"), dtype="Int64")

    # growth versus the previous period
    table["growth"], table["growth_p_value"] = np.nan, np.nan
    table["mentions_current"] = 0
    months = sorted(period.dropna().unique())
    cur = current_period or (months[-1] if months else None)
    if cur is not None and cur in months and months.index(cur) > 0:
        prev = str(pd.Period(cur, "M") - 1)
        in_cur = (period == cur).fillna(False).to_numpy(dtype=bool)
        in_prev = (period == prev).fillna(False).to_numpy(dtype=bool)
        M = matches.to_numpy(dtype=bool)
        kc, kp = M[in_cur].sum(axis=0), M[in_prev].sum(axis=0)
        nc, npv = int(in_cur.sum()), int(in_prev.sum())
        table["mentions_current"] = kc
        table["growth"] = stats.safe_div(stats.safe_div(kc, nc), stats.safe_div(kp, npv))
        table["growth_p_value"] = stats.two_proportion_pvalue(kc, nc, kp, npv, alternative="greater")

    # weak signals
    lift = table["lift"].to_numpy(dtype="float64")
    rare = (table["mentions"] >= 3) & (table["share"] <= rare_share)
    extreme = (lift >= 3) | (lift <= 1 / 3)
    growing = ((table["mentions_current"] >= 5) & (table["growth_p_value"] < 0.05)
               & ((table["growth"] >= 1.5) | table["growth"].isna()))
    reason = np.where(rare & extreme & growing, "rare_extreme+growing",
                      np.where(rare & extreme, "rare_extreme", np.where(growing, "growing", "")))
    table["weak_signal"] = reason != ""
    table = table.reset_index(names="theme")
    weak = table.loc[table["weak_signal"]].assign(reason=reason[table["weak_signal"].to_numpy()])

    # severity of each unhappy verbatim: highest level among its themes
    sev_of = table.set_index("theme")["severity"].astype("float64").reindex(matches.columns)
    S = np.where(matches.to_numpy(dtype=bool), sev_of.to_numpy()[None, :], np.nan)
    with np.errstate(all="ignore"):
        sev = np.where(np.isnan(S).all(axis=1), np.nan,
                       np.nanmax(np.where(np.isnan(S), -1, S), axis=1))
    sev = np.where(md["unhappy"].to_numpy(dtype=bool), sev, np.nan)
    tagged = pd.concat([pd.DataFrame({"verbatim": text, "language": lang, "period": period,
                                      "severity": pd.array(sev, dtype="Float64").astype("Int64")},
                                     index=r.index), md, matches], axis=1)
    counts = pd.Series(sev).value_counts().reindex(list(SEVERITY), fill_value=0).to_numpy()
    n_unhappy = int(md["unhappy"].sum())
    severity = pd.DataFrame({
        "severity": list(SEVERITY),
        "label_fr": [v[0] for v in SEVERITY.values()], "label_en": [v[1] for v in SEVERITY.values()],
        "verbatims": counts,
        "share_of_classified": stats.safe_div(counts, counts.sum()) * np.ones(len(counts)),
        "share_of_unhappy": stats.safe_div(counts, n_unhappy) * np.ones(len(counts)),
    })
    order = ["theme", "label_fr", "label_en", "source", "severity", "terms", "mentions", "share",
             "mentions_unhappy", "mentions_happy", "share_unhappy", "share_happy", "lift",
             "lift_ci_low", "lift_ci_high", "label", "mentions_current", "growth",
             "growth_p_value", "weak_signal", "examples"]
    table = table[order].sort_values(["mentions", "theme"], ascending=[False, True], ignore_index=True)
    weak = weak[order + ["reason"]].sort_values("mentions", ascending=False, ignore_index=True)
    return VerbatimAnalysis(tagged=tagged, themes=table, weak_signals=weak, severity=severity)


# -- commentary ----------------------------------------------------------------------
def verbatim_findings(analysis: VerbatimAnalysis, locale: str = "fr", top: int = 3) -> list[Finding]:
    """Findings of :func:`comment_verbatims` (``locale`` picks the theme labels)."""
    lab = messages.localized_column("label", locale)
    t = analysis.themes
    out: list[Finding] = []
    irr = t[t["label"] == "irritant"].sort_values("mentions", ascending=False).head(top)
    for i, row in enumerate(irr.itertuples()):
        out.append(Finding("verbatims.commentary.irritant", {
            "head": Msg("verbatims.commentary.main_irritant" if i == 0 else "verbatims.commentary.other_irritant"),
            "theme": getattr(row, lab), "mentions": Num(row.mentions, "count"), "lift": Num(row.lift, "number"),
            "low": Num(row.lift_ci_low, "number"), "high": Num(row.lift_ci_high, "number")}, "priority"))
    dl = t[t["label"] == "delighter"].sort_values("mentions", ascending=False).head(top)
    if len(dl):
        names = Items(tuple(Msg("common.quote", {"text": x}) for x in dl[lab]), sep=", ")
        out.append(Finding("verbatims.commentary.delighters", {"themes": names}, "green"))
    if not len(irr) and not len(dl):
        out.append(Finding("verbatims.commentary.no_theme", severity="caveat"))
    for row in analysis.weak_signals.head(top).itertuples():
        if row.reason == "growing":
            # growing only (not rare and extreme): no "weak" signal when it is a major theme
            growth = (Msg("verbatims.commentary.new_this_period") if pd.isna(row.growth) else
                      Msg("verbatims.commentary.growth", {"x": Num(row.growth, "number", {"decimals": 1})}))
            out.append(Finding("verbatims.commentary.growing_theme", {
                "theme": getattr(row, lab), "growth": growth, "mentions": Num(row.mentions, "count")}, "amber"))
            continue
        out.append(Finding("verbatims.commentary.weak_signal", {
            "theme": getattr(row, lab), "why": Msg(f"verbatims.why.{row.reason.replace('+', '_')}")}, "amber"))
    sev = analysis.severity
    if sev["verbatims"].sum() > 0:
        worst = sev[sev["verbatims"] > 0].iloc[-1]
        top_lvl = sev.loc[sev["verbatims"].idxmax()]
        out.append(Finding("verbatims.commentary.severity", {
            "top": Msg(f"verbatims.severity.{int(top_lvl.severity)}"),
            "share": Num(top_lvl.share_of_classified, "ratio", {"decimals": 0}),
            "worst": Msg(f"verbatims.severity.{int(worst.severity)}"), "n": Num(int(worst.verbatims), "count")}))
    return out


def comment_verbatims(analysis: VerbatimAnalysis, locale: str = "fr", top: int = 3) -> list[str]:
    """Short sentences commenting the irritants, delighters, weak signals and severity.

    >>> import pandas as pd
    >>> r = pd.DataFrame({"verbatim": ["Colis jamais reçu"] * 20 + ["Très aimable"] * 20,
    ...                   "csat": [1.0] * 20 + [5.0] * 20, "language": "fr"})
    >>> comment_verbatims(analyse_verbatims(r, discover=False), "en")[0][:40]
    'Main irritant: "Late delivery" (20 menti'
    """
    return render_all(verbatim_findings(analysis, locale, top), locale)


def verbatims_base(n: int, answers: int) -> Msg:
    """The base of the verbatim figures, said wherever they are shown (CLI, page): ``n``
    verbatims analysed (``len(analysis.tagged)``) out of the ``answers`` read, those without a
    comment (:func:`has_comment`: empty, ``RAS``, ``N/A``…) counted, not dropped silently.

    >>> r = pd.DataFrame({"verbatim": ["Colis jamais reçu", "RAS", None], "csat": [1.0, 5.0, 4.0]})
    >>> verbatims_base(len(analyse_verbatims(r, discover=False).tagged), len(r)).render("fr")
    '1 verbatims analysés sur 3 réponses (2 sans commentaire)'
    """
    return Msg("verbatims.base", {"n": Num(n, "count"), "answers": Num(answers, "count"),
                                  "empty": Num(answers - n, "count")})


def to_records(frame: pd.DataFrame, locale: str = "en") -> list[dict]:
    """JSON-ready records of a themes / weak-signals frame (NaN → None)."""
    cols = ["theme", "label_fr", "label_en", "source", "severity", "terms", "mentions", "share",
            "share_unhappy", "share_happy", "lift", "lift_ci_low", "lift_ci_high", "label",
            "growth", "examples"] + (["reason"] if "reason" in frame else [])
    recs = []
    for rec in frame[cols].to_dict(orient="records"):
        recs.append(json_safe(rec))
    return recs


