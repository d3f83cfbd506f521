"""Small, vectorised statistics used across the toolkit: NPS and its confidence
intervals, Wilson intervals for proportions, two-proportion tests.

All functions accept scalars or NumPy arrays (element-wise) and return NaN where a
quantity is undefined (an empty denominator), never 0.

Examples
--------
>>> round(nps(promoters=50, detractors=20, n=100), 1)
30.0
>>> round(nps_ci95(50, 20, 100), 2)
15.31
>>> p = two_proportion_pvalue(30, 100, 15, 100)
>>> bool(p < 0.05)
True
"""
from __future__ import annotations

import numpy as np

Z95 = 1.959963984540054


def _arr(x):
    return np.asarray(x, dtype="float64")


def _ret(x):
    x = np.asarray(x, dtype="float64")
    return float(x) if x.ndim == 0 else x


def safe_div(num, den):
    """``num / den`` with NaN where ``den`` is 0 or NaN.

    >>> safe_div(1, 0)
    nan
    >>> safe_div(1, 4)
    0.25
    """
    num, den = _arr(num), _arr(den)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return _ret(out)


def nps(promoters, detractors, n):
    """Net Promoter Score: 100 × (promoters − detractors) / n; NaN when n = 0."""
    return _ret(100.0 * _arr(safe_div(_arr(promoters) - _arr(detractors), n)))


def nps_se(promoters, detractors, n):
    """Standard error of the NPS (in points): 100 × sqrt((pP + pD − (pP − pD)²) / n)."""
    n_ = _arr(n)
    pp, pd = _arr(safe_div(promoters, n_)), _arr(safe_div(detractors, n_))
    var = pp + pd - (pp - pd) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        se = 100.0 * np.sqrt(np.clip(var, 0, None) / np.where(n_ > 0, n_, np.nan))
    return _ret(se)


def nps_ci95(promoters, detractors, n):
    """Half-width of the 95 % interval of the NPS (Wald): 1.96 × SE.

    >>> round(nps_ci95(50, 20, 100), 2)
    15.31
    """
    return _ret(1.96 * _arr(nps_se(promoters, detractors, n)))


def nps_ci95_adjusted(promoters, detractors, n):
    """Adjusted-Wald half-width: n + 3, promoters and detractors + 3/4 each.

    >>> round(nps_ci95_adjusted(50, 20, 100), 2)
    15.08
    """
    return nps_ci95(_arr(promoters) + 0.75, _arr(detractors) + 0.75, _arr(n) + 3.0)


def nps_diff_significant(nps1, se1, nps2, se2):
    """True where |ΔNPS| > 1.96 × sqrt(SE₁² + SE₂²) (NaN inputs → False)."""
    d = np.abs(_arr(nps1) - _arr(nps2))
    lim = 1.96 * np.sqrt(_arr(se1) ** 2 + _arr(se2) ** 2)
    out = np.where(np.isnan(d) | np.isnan(lim), False, d > lim)
    return bool(out) if np.ndim(out) == 0 else out


def nps_diff_pvalue(nps1, se1, nps2, se2):
    """Two-sided p-value of the NPS change from the same SEs as :func:`nps_diff_significant`:
    z = (NPS₁ − NPS₂) / sqrt(SE₁² + SE₂²), p = 2·(1 − Φ(|z|)); NaN when undefined.

    >>> round(nps_diff_pvalue(32.0, 3.0, 20.0, 4.0), 4)   # z = 12 / 5 = 2.4
    0.0164
    """
    from scipy import stats as _st   # here, not at the top: see two_proportion_pvalue

    se = np.sqrt(_arr(se1) ** 2 + _arr(se2) ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(se > 0, (_arr(nps1) - _arr(nps2)) / np.where(se > 0, se, 1.0), np.nan)
    return _ret(np.where(np.isnan(z), np.nan, 2 * _st.norm.sf(np.abs(z))))


def fdr_bh(p_values):
    """Benjamini–Hochberg adjusted p-values (false-discovery rate), NaN left out and kept.

    The m tested p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎ get
    q₍ᵢ₎ = min over j ≥ i of min(1, p₍ⱼ₎ · m / j), returned in the input order; a test is
    significant at false-discovery rate α when its adjusted p-value is below α.

    >>> fdr_bh([0.01, 0.04, 0.03, 0.20]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.2]
    >>> fdr_bh([0.02, float("nan")]).tolist()
    [0.02, nan]
    """
    p = np.atleast_1d(_arr(p_values))
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    tested = p[ok]
    order = np.argsort(tested, kind="stable")
    scaled = tested[order] * m / np.arange(1, m + 1)
    q = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    adj = np.empty(m)
    adj[order] = q
    out[ok] = adj
    return out


def wilson_ci(successes, n, z: float = Z95):
    """Wilson score interval (low, high) for a proportion; NaN when n = 0.

    >>> lo, hi = wilson_ci(8, 10)
    >>> round(lo, 3), round(hi, 3)
    (0.49, 0.943)
    """
    k, n_ = _arr(successes), _arr(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        nn = np.where(n_ > 0, n_, np.nan)
        p = k / nn
        den = 1 + z**2 / nn
        centre = (p + z**2 / (2 * nn)) / den
        half = z * np.sqrt(p * (1 - p) / nn + z**2 / (4 * nn**2)) / den
    return _ret(centre - half), _ret(centre + half)


def two_proportion_z(k1, n1, k2, n2):
    """Pooled two-proportion z statistic for p1 − p2 (NaN when undefined)."""
    k1, n1, k2, n2 = map(_arr, (k1, n1, k2, n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p1 = k1 / np.where(n1 > 0, n1, np.nan)
        p2 = k2 / np.where(n2 > 0, n2, np.nan)
        p = (k1 + k2) / np.where(n1 + n2 > 0, n1 + n2, np.nan)
        se = np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
        z = np.where(se > 0, (p1 - p2) / np.where(se > 0, se, 1.0), np.nan)
    return _ret(z)


def two_proportion_pvalue(k1, n1, k2, n2, alternative: str = "two-sided"):
    """p-value of the pooled two-proportion z-test.

    ``alternative`` is ``"two-sided"`` or ``"greater"`` (H1: p1 > p2).

    >>> round(two_proportion_pvalue(30, 100, 15, 100), 4)
    0.0111
    >>> round(two_proportion_pvalue(30, 100, 15, 100, "greater"), 4)
    0.0055
    """
    from scipy import stats as _st   # here, not at the top: 0.6 s that the KPI commands never need

    z = _arr(two_proportion_z(k1, n1, k2, n2))
    if alternative == "greater":
        p = _st.norm.sf(z)
    elif alternative == "two-sided":
        p = 2 * _st.norm.sf(np.abs(z))
    else:
        raise ValueError(f"alternative must be 'two-sided' or 'greater', not {alternative!r}")
    return _ret(np.where(np.isnan(z), np.nan, p))
