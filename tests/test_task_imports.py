"""Tasks import services inside the task; services import tasks at module level (STYLE.md,
HackSoft): so a service can enqueue a task and the two modules never import each other at
load time."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ["providers", "contracts", "assurance", "escalation", "reporting"]
TASK_MODULES = [ROOT / app / "tasks.py" for app in APPS if (ROOT / app / "tasks.py").exists()]
WRITES = {"services", "pipeline"}


def module_level_imports(path):
    """The modules a file imports at its top level, as (module, names)."""
    found = []
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(("." * node.level + (node.module or ""), tuple(a.name for a in node.names)))
    return found


def imports_writes(module, names):
    parts = set(module.lstrip(".").split(".")) | set(names)
    return bool(parts & WRITES)


@pytest.mark.parametrize("path", TASK_MODULES, ids=lambda p: p.parent.name)
def test_tasks_import_no_service_at_module_level(path):
    assert [m for m, names in module_level_imports(path) if imports_writes(m, names)] == []


def test_reporting_services_import_their_tasks_at_module_level():
    imports = module_level_imports(ROOT / "reporting" / "services.py")
    assert any(module == "." and "tasks" in names for module, names in imports)


def test_escalation_tasks_are_registered_without_loading_the_pipeline():
    """escalation.apps imports its tasks in every process (a task named from assurance must be
    known); they load the pipeline only when one runs."""
    imports = module_level_imports(ROOT / "escalation" / "tasks.py")
    assert not any("pipeline" in names or module.endswith("pipeline") for module, names in imports)
