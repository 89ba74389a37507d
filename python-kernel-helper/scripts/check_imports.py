#!/usr/bin/env python3
"""Fail when the modules of memlens_kernel import each other in a cycle.

    python python-kernel-helper/scripts/check_imports.py

Every ``import`` and ``from ... import`` inside the package counts, also the
ones inside functions (a deferred import hides a cycle, it does not remove
it); only imports under ``if TYPE_CHECKING:`` are left out. ``from .pkg import
name`` is an edge to ``pkg.name`` when that is a module, else to ``pkg``.
Standard library only. Exit status 0 when there is no cycle, 1 otherwise
(each cycle printed as ``a -> b -> a``).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Dict, List, Optional, Set

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent / "memlens_kernel"
PACKAGE = "memlens_kernel"


def module_names(root: Path = ROOT) -> Dict[str, Path]:
    """``{dotted module name: path}`` of every module of the package."""
    out: Dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        out[".".join([PACKAGE, *parts])] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> List[ast.stmt]:
    found: List[ast.stmt] = []
    stack: List[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _resolve(module: str, is_pkg: bool, node: ast.ImportFrom) -> Optional[str]:
    if node.level == 0:
        return node.module
    base = module.split(".")
    if not is_pkg:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def edges(modules: Dict[str, Path]) -> Dict[str, Set[str]]:
    """``{module: modules of the package it imports}``."""
    graph: Dict[str, Set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in _imports(tree):
            targets: List[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                assert isinstance(node, ast.ImportFrom)
                target = _resolve(name, is_pkg, node)
                if target is None:
                    continue
                subs = [f"{target}.{a.name}" for a in node.names]
                targets = [s for s in subs if s in modules] or [target]
                if len(targets) < len(subs) and target not in targets:
                    targets.append(target)  # names from the package itself too
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """One cycle per strongly connected component with more than one module."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []
    counter = [0]

    def connect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: List[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(_one_cycle(sorted(component), graph))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def _one_cycle(component: List[str], graph: Dict[str, Set[str]]) -> List[str]:
    members = set(component)
    start = component[0]
    path = [start]
    seen = {start}
    while True:
        nxt = sorted(w for w in graph[path[-1]] if w in members)
        back = [w for w in nxt if w == start]
        if back and len(path) > 1:
            return [*path, start]
        fresh = [w for w in nxt if w not in seen]
        if not fresh:
            return [*path, nxt[0] if nxt else start]
        path.append(fresh[0])
        seen.add(fresh[0])


def main() -> int:
    """Print the cycles; 1 when there is one."""
    found = cycles(edges(module_names()))
    for cycle in found:
        print("import cycle: " + " -> ".join(cycle))
    if not found:
        print(f"{PACKAGE}: no import cycles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
