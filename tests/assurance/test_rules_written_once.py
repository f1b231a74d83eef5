"""The methodology is written once, in assurance.rules, as pure functions free of Django
(STYLE.md): what other apps need of it they import from there."""

import ast
from pathlib import Path

from assurance import rules

ROOT = Path(__file__).resolve().parents[2]
APPS = ("providers", "contracts", "assurance", "escalation", "reporting")


def imported_modules(path, package):
    """The absolute names of the modules a file imports (relative imports resolved)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module)
    return names


def module_path(name):
    path = ROOT.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def test_the_rules_import_nothing_of_django_however_deep():
    """Everything the rules import, and everything that imports in turn, is the standard library
    or another pure module of the project (contracts.tiers, providers.periods)."""
    seen, todo, outside = set(), ["assurance.rules"], set()
    todo += [f"assurance.rules.{p.stem}" for p in (ROOT / "assurance" / "rules").glob("*.py") if p.stem != "__init__"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_path(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for imported in imported_modules(path, package):
            top = imported.split(".")[0]
            outside.add(top)
            if top in APPS and module_path(imported).exists():
                todo.append(imported)
    assert "django" not in outside
    assert {name for name in seen if not name.startswith("assurance.rules")} == {
        "contracts.tiers",
        "providers.periods",
    }


def test_the_routine_meeting_cadence_is_the_contract_tiers_one_copy():
    from contracts import tiers

    assert rules.ROUTINE_SLA_MONTHS is tiers.ROUTINE_CADENCE_MONTHS


def test_reporting_takes_the_pack_limit_and_the_xmr_constant_from_the_rules():
    from reporting import choices, spc

    assert choices.MAX_MONTHS_COVERED is rules.MAX_MONTHS_COVERED
    assert spc.LIMIT == float(rules.XMR_CONSTANT)


def test_the_collection_overview_decides_a_returns_state_by_the_rule():
    from datetime import date

    from assurance.choices import ReturnState
    from assurance.models import MonthlyReturn
    from assurance.selectors import return_state

    state = return_state(MonthlyReturn(status="draft"), date(2026, 10, 15), date(2026, 10, 16), False)
    assert state == rules.OVERDUE and state is ReturnState.OVERDUE
    assert return_state(None, date(2026, 10, 15), date(2026, 10, 1), False) is ReturnState.NOT_STARTED
