"""Each third-party package is imported only by the module that owns it (STYLE §2.3)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "aluekg"

OWNER: dict[str, set[str]] = {
    "pyoxigraph": {"query/store.py", "query/documents.py", "syntax.py", "validation/targets.py"},
    "pyshacl": {"validation"},
    "rdflib": {"validation", "registry"},
    "click": {"cli.py"},
    "uvicorn": {"cli.py", "operations/server.py"},
    "httptools": {"operations/server.py"},
    "fastapi": {
        "web",
        "operations",
        "linkeddata",
        "reconcile",
        "dataset/routes.py",
        "api/routes.py",
    },
    "starlette": {
        "web",
        "operations",
        "linkeddata",
        "reconcile",
        "dataset/routes.py",
        "api/routes.py",
    },
    "prometheus_client": {"operations/metrics.py"},
    "watchfiles": {"operations/reload.py"},
    "mimeparse": {"web"},
    "jinja2": {"web", "linkeddata", "reconcile", "dataset/routes.py", "api/routes.py"},
    "rapidfuzz": {"reconcile/matching.py"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix()
)
def test_third_party_packages_stay_with_their_owner(path: Path) -> None:
    where = path.relative_to(PACKAGE).as_posix()
    for package in imported_packages(path) & OWNER.keys():
        owners = OWNER[package]
        assert any(_owns(owner, where) for owner in owners), (
            f"{where} imports {package}; only {owners} may"
        )


def _owns(owner: str, where: str) -> bool:
    """An owner is a module or a folder (a subpackage), named by its path in the package."""
    return where == owner or where.startswith(owner + "/")


def test_the_owner_table_names_modules_that_exist() -> None:
    missing = {
        owner for owners in OWNER.values() for owner in owners if not (PACKAGE / owner).exists()
    }
    assert not missing, f"owners that do not exist: {missing}"
