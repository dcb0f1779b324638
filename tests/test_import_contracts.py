"""The rules of docs/adr/0012-context-contracts.md that import-linter does not check by itself.

A context imports another only at module level (so that the dependency graph shows every edge),
and only that context's public modules: ``services``, ``selectors``, ``vocabulary`` and the few
listed in ``PUBLIC_ALSO``. Another context's ``models`` may be named for type annotations only,
under ``if TYPE_CHECKING:``. Tests and migrations are not checked.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hotich.core.standins import is_standin

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "hotich"

# The shared kernel: every context imports from it.
KERNEL = "core"
PUBLIC = frozenset({"services", "selectors", "vocabulary"})
# What a context publishes besides its services, selectors and vocabulary.
PUBLIC_ALSO: dict[str, frozenset[str]] = {
    # the actor type, the authorization helper, the view guard and web helpers
    "accounts": frozenset({"actors", "authz", "web"}),
    # writing a BagIt bag (a digitized book's national export)
    "archive": frozenset({"bags"}),
    # the checks every uploaded scan passes, also the portal's citizen uploads
    "digitization": frozenset({"intake"}),
    # the packaged units of both eras and the old → new map, read without the database
    "geo": frozenset({"source"}),
    # people has no tables: its rules and its population-database adapter (adapters.popdb) are
    # its interface
    "people": frozenset({"personal_id", "popdb"}),
    # the register's figures grouped in the database, for reporting
    "registry": frozenset({"statistics"}),
    # verification of any signed PDF, also of documents received from outside
    "signing": frozenset({"verify"}),
}
# Composition roots: they plug the contexts together and may import these modules of any.
COMPOSERS: dict[str, frozenset[str]] = {
    "config": frozenset({"api", "quiet"}),
    "demo": frozenset({"demo", "standin"}),
}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    target: str  # the imported module, e.g. "hotich.geo.selectors"
    in_function: bool
    type_only: bool

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.target}"


def context_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else "config"  # hotich/__main__.py is the entry point


def checked_files() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if "tests" not in parts and "migrations" not in parts:
            yield path


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> Iterator[Import]:
    def visit(node: ast.AST, in_function: bool, type_only: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("hotich."):
                        yield Import(path, child.lineno, alias.name, in_function, type_only)
            elif isinstance(child, ast.ImportFrom):
                module = child.module or ""
                if child.level or not module.startswith("hotich."):
                    continue
                # "from hotich.geo import selectors" imports the module hotich.geo.selectors
                targets = (
                    [f"{module}.{alias.name}" for alias in child.names]
                    if module.count(".") == 1
                    else [module]
                )
                for target in targets:
                    yield Import(path, child.lineno, target, in_function, type_only)
            else:
                yield from visit(
                    child,
                    in_function
                    or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda),
                    type_only or (isinstance(child, ast.If) and _is_type_checking(child)),
                )

    yield from visit(ast.parse(path.read_text(), str(path)), False, False)


def cross_context_imports() -> Iterator[Import]:
    for path in checked_files():
        context = context_of(path)
        for found in imports_of(path):
            if found.target.split(".")[1] != context:
                yield found


def is_public(importer: str, target: str, *, type_only: bool) -> bool:
    context, *modules = target.split(".")[1:]
    if context == KERNEL:
        return True
    allowed = PUBLIC | PUBLIC_ALSO.get(context, frozenset()) | COMPOSERS.get(importer, frozenset())
    if type_only:
        allowed |= {"models"}
    # a module inside a public one is public: hotich.registry.extracts.services, ...services.books
    return not allowed.isdisjoint(modules)


def test_no_context_imports_another_inside_a_function() -> None:
    # A stand-in refuses to load with the production settings, so it is imported where it is
    # used, after the check that gives the one-line refusal (hotich.core.standins).
    hidden = [str(i) for i in cross_context_imports() if i.in_function and not is_standin(i.target)]
    assert hidden == [], "move these imports to module level:\n" + "\n".join(hidden)


def test_contexts_import_only_each_others_public_modules() -> None:
    private = [
        str(i)
        for i in cross_context_imports()
        if not is_public(context_of(i.path), i.target, type_only=i.type_only)
    ]
    assert private == [], "import these through a service or selector:\n" + "\n".join(private)


def test_every_context_with_models_has_them_protected() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    protected = {
        module
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "protected"
        for module in contract["protected_modules"]
    }
    with_models = {
        ".".join(("hotich", *p.relative_to(SRC).with_suffix("").parts))
        for p in SRC.rglob("models.py")
        if "tests" not in p.parts
    }
    assert with_models - protected == set()


def _scan(source: str, tmp_path: Path) -> list[Import]:
    path = tmp_path / "module.py"
    path.write_text(source)
    return list(imports_of(path))


@pytest.mark.parametrize(
    ("source", "in_function", "type_only"),
    [
        ("from hotich.geo.selectors import unit_get\n", False, False),
        ("def f():\n    from hotich.geo.selectors import unit_get\n", True, False),
        ("class C:\n    def f(self):\n        import hotich.geo.selectors\n", True, False),
        ("if TYPE_CHECKING:\n    from hotich.geo.models import Unit\n", False, True),
    ],
)
def test_the_scan_finds_imports_where_they_hide(
    source: str, in_function: bool, type_only: bool, tmp_path: Path
) -> None:
    (found,) = _scan(source, tmp_path)
    assert found.target.startswith("hotich.geo.")
    assert (found.in_function, found.type_only) == (in_function, type_only)


def test_package_level_from_imports_name_the_module(tmp_path: Path) -> None:
    (found,) = _scan("from hotich.people import personal_id\n", tmp_path)
    assert found.target == "hotich.people.personal_id"


@pytest.mark.parametrize(
    ("importer", "target", "type_only", "public"),
    [
        ("registry", "hotich.geo.selectors", False, True),
        ("registry", "hotich.geo.vocabulary", False, True),
        ("registry", "hotich.geo.models", False, False),
        ("registry", "hotich.geo.models", True, True),
        ("registry", "hotich.portal.metrics", False, False),
        ("portal", "hotich.registry.extracts.services", False, True),
        ("portal", "hotich.registry.extracts.models", False, False),
        ("registry", "hotich.core.text", False, True),
        ("registry", "hotich.accounts.authz", False, True),
        ("registry", "hotich.portal.demo", False, False),
        ("demo", "hotich.portal.demo", False, True),
    ],
)
def test_public_modules(importer: str, target: str, type_only: bool, public: bool) -> None:
    assert is_public(importer, target, type_only=type_only) is public
