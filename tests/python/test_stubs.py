"""The type stubs (_core.pyi) must describe exactly the public surface of aecore._core:
a public name without a stub, or a stub for something that does not exist, fails."""

from __future__ import annotations

import ast
import enum
import inspect
from pathlib import Path

import aecore
from aecore import _core

STUB = Path(aecore.__file__).with_name("_core.pyi")


def _stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def _module_names(tree: ast.Module) -> dict[str, ast.AST]:
    names: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    names[t.id] = node
    return names


def _class_members(node: ast.ClassDef) -> set[str]:
    out: set[str] = set()
    for item in node.body:
        if isinstance(item, ast.FunctionDef):
            out.add(item.name)
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            out.add(item.target.id)
        elif isinstance(item, ast.Assign):
            out.update(t.id for t in item.targets if isinstance(t, ast.Name))
    return out


def _public(name: str) -> bool:
    return not name.startswith("_") or name in {"__version__", "_repr_html_"}


def _runtime_members(cls: type) -> set[str]:
    if issubclass(cls, enum.Enum):
        return {m.name for m in cls}
    return {n for n in vars(cls) if _public(n)}


def test_stub_file_ships_with_the_package() -> None:
    assert STUB.is_file()
    assert Path(aecore.__file__).with_name("py.typed").is_file()


def test_every_public_module_name_has_a_stub_and_vice_versa() -> None:
    stubbed = {n for n in _module_names(_stub_tree()) if _public(n)}
    runtime = {n for n in dir(_core) if _public(n)}
    assert runtime - stubbed == set(), "public names without a stub"
    assert stubbed - runtime == set(), "stubs for names that do not exist"


def test_every_public_class_member_has_a_stub_and_vice_versa() -> None:
    stubs = _module_names(_stub_tree())
    for name in dir(_core):
        obj = getattr(_core, name)
        if not (inspect.isclass(obj) and _public(name)):
            continue
        node = stubs[name]
        assert isinstance(node, ast.ClassDef)
        stubbed = {m for m in _class_members(node) if _public(m)}
        runtime = _runtime_members(obj)
        assert runtime - stubbed == set(), f"{name}: members without a stub"
        assert stubbed - runtime == set(), f"{name}: stubs for members that do not exist"


def test_enum_stub_values_match_runtime() -> None:
    stubs = _module_names(_stub_tree())
    for name in dir(_core):
        obj = getattr(_core, name)
        if inspect.isclass(obj) and issubclass(obj, enum.Enum):
            node = stubs[name]
            assert isinstance(node, ast.ClassDef)
            values = {
                item.targets[0].id: ast.literal_eval(item.value)
                for item in node.body
                if isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name)
            }
            assert values == {m.name: m.value for m in obj}, name


def test_error_stub_bases_match_runtime() -> None:
    stubs = _module_names(_stub_tree())
    for name in ("ValidationError", "NotFoundError", "StateError", "SchemaError", "IoError"):
        node = stubs[name]
        assert isinstance(node, ast.ClassDef)
        stub_bases = [ast.unparse(b) for b in node.bases]
        runtime_bases = [b.__name__ for b in getattr(_core, name).__bases__]
        assert stub_bases == runtime_bases, name
