"""The tree keeps one home per concept: the store's connection stays inside `unres.index`, no module
name means two things in two packages, and the searcher stays a thin façade."""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "search", "cli", "serve", "evaluation")
OUTSIDE_INDEX = ("search", "cli", "serve", "evaluation", "benchmarks", "tests")


def modules(folder: str) -> list[Path]:
    return [p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts]


def test_only_the_index_touches_the_stores_connection():
    users = [str(p.relative_to(ROOT)) for folder in OUTSIDE_INDEX for p in modules(folder)
             if p != Path(__file__).resolve() and re.search(r"\.connection\b", p.read_text(encoding="utf-8"))]
    assert users == []


def test_no_module_name_stands_in_two_packages():
    places = defaultdict(list)
    for folder in PACKAGES:
        for path in modules(folder):
            if path.name not in ("__init__.py", "__main__.py"):
                places[path.name].append(str(path.parent.relative_to(ROOT)))
        for package in (ROOT / folder).rglob("__init__.py"):
            if package.parent != ROOT / folder:
                places[package.parent.name + ".py"].append(str(package.parent.relative_to(ROOT)))
    assert {name: where for name, where in places.items() if len(where) > 1} == {}


def test_the_searcher_is_a_thin_facade():
    assert len((ROOT / "search" / "searcher.py").read_text(encoding="utf-8").splitlines()) < 260


def test_the_installed_package_is_this_tree():
    import unres
    import unres.index

    assert Path(unres.__file__).resolve() == ROOT / "src" / "unres" / "__init__.py"
    assert Path(unres.index.__file__).resolve() == ROOT / "index" / "__init__.py"


@pytest.mark.parametrize("package", ["unres.index", "unres.index.links", "unres.index.parse"])
def test_lazy_packages_load_every_name_they_list(package):
    """Packages that load their names on first use (PEP 562) list each name once, and each resolves."""
    module = importlib.import_module(package)
    assert sorted(module._EXPORTS) == sorted(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is getattr(importlib.import_module(module._EXPORTS[name], package), name)
