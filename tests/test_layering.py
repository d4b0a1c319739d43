"""The core never imports Streamlit: it is walked as Python syntax, not grepped."""
import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "analytics"


def test_the_core_does_not_import_streamlit():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []
