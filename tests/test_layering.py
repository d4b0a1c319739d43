"""The core's stages import one way (analytics/__init__.py draws the map), and the core never imports Streamlit.

Imports are read as Python syntax (ast), not grepped.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "analytics"
# What each stage may import of the project (besides itself).
ALLOWED = {
    "model": set(),
    "ingest": {"model"},
    "dossiers": {"model", "ingest"},
    "analyses": {"model"},
    "outputs": {"model", "analyses", "dossiers.sources"},
    "access": {"model", "dossiers.store"},
}
# The command line (the package analytics/cli/) is the top stage: it may import every other stage, and no stage
# imports it (only analytics/__main__.py does).
TOP = "cli"
ALLOWED[TOP] = set(ALLOWED)


def imported_modules(path: Path) -> list[str]:
    return modules_in(path.read_text(encoding="utf-8"))


def modules_in(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return out


def stage_of(path: Path) -> str:
    parts = path.relative_to(CORE).with_suffix("").parts
    return parts[0]


def wrong_direction(path: Path, source: str | None = None) -> list[str]:
    """The project imports of a core file (or of `source` as if it were that file) that its stage may not make."""
    stage = stage_of(path)
    allowed = ALLOWED.get(stage)
    if allowed is None:  # __init__, __main__
        return []
    offenders = []
    for module in modules_in(source) if source is not None else imported_modules(path):
        parts = module.split(".")
        if parts[0] != "analytics" or len(parts) < 2:
            continue
        target = parts[1]
        if target == stage or target in allowed or ".".join(parts[1:3]) in allowed:
            continue
        offenders.append(f"{path.relative_to(ROOT)}: {module}")
    return sorted(set(offenders))


CORE_FILES = sorted(p for p in CORE.rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_each_stage_imports_only_the_stages_above_it(path):
    assert wrong_direction(path) == []


def test_a_wrong_direction_import_is_caught():
    """Checked on source text, as if it were a file of the model stage: nothing is written into the tree (review
    2026-12-07 §3.3: a killed run left probe files in analytics/)."""
    fake = CORE / "model" / "_layering_probe.py"
    assert wrong_direction(fake, "from analytics.analyses.bieu06 import KEYS\n") == [
        "analytics/model/_layering_probe.py: analytics.analyses.bieu06",
        "analytics/model/_layering_probe.py: analytics.analyses.bieu06.KEYS"]
    assert "analytics/model/_layering_probe.py: analytics.dossiers" in wrong_direction(
        fake, "from analytics.dossiers import store\n")
    assert not fake.exists()


def test_analyses_may_not_reach_the_store_even_through_a_package_import():
    found = wrong_direction(CORE / "analyses" / "_layering_probe.py",
                            "from analytics.dossiers import store\nfrom analytics.ingest import values\n")
    assert any("analytics.dossiers" in f for f in found) and any("analytics.ingest" in f for f in found)


def test_every_core_file_belongs_to_a_stage():
    loose = [p.name for p in CORE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert loose == []
    assert sorted({p.parent.name for p in CORE.glob("*/*.py")} - set(ALLOWED)) == [], "a stage without rules"


def test_the_command_line_may_import_every_stage_and_no_stage_imports_it():
    assert not [stage for stage, allowed in ALLOWED.items() if TOP in {name.split(".")[0] for name in allowed}]
    assert wrong_direction(CORE / TOP / "_layering_probe.py", "from analytics.outputs import documents\n"
                                                             "from analytics.access.audit import AuditTrail\n") == []
    for stage in set(ALLOWED) - {TOP}:
        fake = CORE / stage / "_layering_probe.py"
        assert wrong_direction(fake, "from analytics.cli.files import record\n") == [
            f"analytics/{stage}/_layering_probe.py: analytics.cli.files",
            f"analytics/{stage}/_layering_probe.py: analytics.cli.files.record"]
        assert wrong_direction(fake, "from analytics import cli\n") == [
            f"analytics/{stage}/_layering_probe.py: analytics.cli"]


def test_the_core_does_not_import_streamlit():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in CORE_FILES for m in imported_modules(p)
                 if m.split(".")[0] == "streamlit"]
    assert offenders == []


def test_the_layout_map_names_every_module_of_the_core():
    """analytics/__init__.py's map (review 2026-12-07 §4.1: 17 modules were missing) names each module under its
    stage, and names none that no longer exists."""
    doc = ast.get_docstring(ast.parse((CORE / "__init__.py").read_text(encoding="utf-8")))
    stage, mapped = None, set()
    for line in doc.splitlines():
        words = line.split()
        if not words:
            continue
        if line.startswith("    ") and not line.startswith("        ") and words[0].endswith("/"):
            stage = words[0].rstrip("/")
        elif line.startswith("        ") and stage and words[0].rstrip(",").isidentifier():
            mapped |= {f"{stage}.{name.rstrip(',')}" for name in words[:3] if name.rstrip(",").isidentifier()
                       and (CORE / stage / f"{name.rstrip(',')}.py").exists()}
            mapped.add(f"{stage}.{words[0].rstrip(',')}")
    present = {f"{p.parent.name}.{p.stem}" for p in CORE.glob("*/*.py") if p.stem != "__init__"}
    assert sorted(present - mapped) == [], "modules missing from the map in analytics/__init__.py"
    assert sorted(mapped - present) == [], "the map names modules that do not exist"
