"""Layers point one way and the shared pieces live only in portal/ (issue 8, items 1 and 4)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("complaints", "innovation_plans")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved against its package (function bodies included)."""
    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("module,forbidden", [
    ("innovation_plans/jobs.py", "innovation_plans.views"),
    ("innovation_plans/services.py", "innovation_plans.views"),
    ("innovation_plans/import_review.py", "innovation_plans.views"),
    *((str(p.relative_to(ROOT)), "complaints.views") for p in sorted((ROOT / "complaints" / "admin").glob("*.py"))),
    ("innovation_plans/admin.py", "innovation_plans.views"),
])
def test_lower_layers_do_not_import_views(module, forbidden):
    assert forbidden not in _imports(ROOT / module)


@pytest.mark.parametrize("app", APPS)
def test_no_app_keeps_its_own_copy_of_a_shared_block(app):
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        imports = _imports(path)
        assert "django_ratelimit.decorators" not in imports, f"{path}: use portal.ratelimit"
        source = path.read_text()
        assert "def _insert_with_code" not in source, f"{path}: use portal.codes.insert_with_code"
        assert "ImageOps.exif_transpose" not in source, f"{path}: use portal.uploads"
        assert "csv.writer(" not in source, f"{path}: use portal.exports"
    for gone in ("complaints/images.py", "innovation_plans/uploads.py"):
        assert not (ROOT / gone).exists()
