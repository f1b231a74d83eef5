"""METHODOLOGY 7, risk scores and the register a risk belongs on."""


def risk_register_level(likelihood, consequence):
    """Score = likelihood x consequence (each 1 to 5) and the register it belongs on."""
    if not (1 <= likelihood <= 5 and 1 <= consequence <= 5):
        raise ValueError("Likelihood and consequence are each scored 1 to 5.")
    score = likelihood * consequence
    if score >= 15:
        return score, "corporate"
    if score >= 8:
        return score, "team"
    return score, "local"
