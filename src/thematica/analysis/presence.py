"""Two-coder agreement on a binary (present/absent) judgement from its 2x2 table alone.

Participant- and turn-level presence produce one 2x2 table per code; expanding it to vectors of
130,000 turns per code would be wasteful. The formulas are those of
:func:`thematica.analysis.coefficients.two_coders` with q = 2 categories (Cohen 1960; Scott 1955;
Brennan & Prediger 1981; Gwet 2008; Krippendorff 2011); a property test checks that both give the
same figures on the same data. See docs/methods.md#presence-agreement-by-participant-and-by-turn.
"""

from __future__ import annotations

from thematica.analysis.coefficients import Coefficients

NO_VARIATION = "no variation: every unit has the same value for both coders"


def _chance_corrected(p_o: float, p_e: float) -> float | None:
    return None if abs(1.0 - p_e) < 1e-12 else (p_o - p_e) / (1.0 - p_e)


def from_table(both: int, a_only: int, b_only: int, neither: int) -> Coefficients:
    """Coefficients for units coded present by both, by A only, by B only, by neither."""
    n = both + a_only + b_only + neither
    names = (
        "percent_agreement",
        "cohen_kappa",
        "scott_pi",
        "brennan_prediger",
        "gwet_ac1",
        "krippendorff_alpha",
    )
    if n == 0:
        return Coefficients(0, None, None, None, None, None, None, dict.fromkeys(names, "no units"))
    p_o = (both + neither) / n
    p_a = (both + a_only) / n
    p_b = (both + b_only) / n
    pi = (p_a + p_b) / 2
    cohen = _chance_corrected(p_o, p_a * p_b + (1 - p_a) * (1 - p_b))
    scott = _chance_corrected(p_o, pi * pi + (1 - pi) * (1 - pi))
    bp = _chance_corrected(p_o, 0.5)
    ac1 = _chance_corrected(p_o, 2 * pi * (1 - pi))
    alpha = None if scott is None else 1 - ((2 * n - 1) / (2 * n)) * (1 - scott)
    undefined = {
        name: NO_VARIATION
        for name, value in (
            ("cohen_kappa", cohen),
            ("scott_pi", scott),
            ("krippendorff_alpha", alpha),
        )
        if value is None
    }
    return Coefficients(n, 100 * p_o, cohen, scott, bp, ac1, alpha, undefined)
