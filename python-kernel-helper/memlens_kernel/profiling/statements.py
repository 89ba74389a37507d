"""The cell's top-level statements: boundary marks and the line map.

A profiled cell is compiled from an AST with a mark before each top-level
statement, so a session learns where statements start without a line
tracer (IPython compiles each top-level statement as its own code object;
the mark is one call per statement, never per loop iteration):

- a simple statement is preceded by ``__memlens_mark__(line)``;
- a compound statement that runs code in the cell's frame (``for``,
  ``while``, ``if``, ``with``, ``try``, ``match``) is wrapped in
  ``with __memlens_block__(line):`` so the session gets the frame it runs in
  (for per-line events inside it) and its end.

Both names live in ``builtins`` only while a session runs (``install``).
Line numbers of the user's statements are unchanged.
"""

from __future__ import annotations

import ast
import builtins
from typing import Any, Callable, Dict, List, Literal, Optional, Tuple

MARK = "__memlens_mark__"
BLOCK = "__memlens_block__"

_COMPOUND = tuple(
    getattr(ast, name)
    for name in ("For", "AsyncFor", "While", "If", "With", "AsyncWith", "Try", "TryStar", "Match")
    if hasattr(ast, name)
)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def is_compound(node: ast.stmt) -> bool:
    """A statement whose body runs in the cell's own frame."""
    return isinstance(node, _COMPOUND)


def _call(name: str, line: int, node: ast.stmt) -> ast.Call:
    call = ast.Call(
        func=ast.Name(id=name, ctx=ast.Load()), args=[ast.Constant(value=line)], keywords=[]
    )
    return ast.copy_location(call, node)


def add_marks(tree: ast.Module) -> ast.Module:
    """Insert the statement marks in ``tree`` (in place; returns it)."""
    body: List[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            body.append(node)  # must stay first
            continue
        if is_compound(node):
            wrapper = ast.With(
                items=[ast.withitem(context_expr=_call(BLOCK, node.lineno, node))], body=[node]
            )
            body.append(ast.copy_location(wrapper, node))
            continue
        body.append(ast.copy_location(ast.Expr(value=_call(MARK, node.lineno, node)), node))
        body.append(node)
    tree.body = body
    return ast.fix_missing_locations(tree)


def line_map(tree: ast.Module) -> Dict[int, int]:
    """Each code line → the first line of the innermost statement holding it.

    Lines inside a ``def``, ``class`` or ``lambda`` body are left out: what
    they allocate belongs to the line that called them.
    """
    lines: Dict[int, int] = {}

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            end = getattr(node, "end_lineno", None) or node.lineno
            for line in range(node.lineno, end + 1):
                lines[line] = node.lineno
        if isinstance(node, _SCOPES):
            body = node.body if isinstance(node.body, list) else [node.body]
            first = min(getattr(b, "lineno", node.lineno) for b in body)
            last = max(getattr(b, "end_lineno", None) or node.lineno for b in body)
            for line in range(first, last + 1):
                if line != node.lineno:
                    lines.pop(line, None)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    for node in tree.body:
        visit(node)
    return lines


def top_level(tree: ast.Module) -> Dict[int, ast.stmt]:
    """First line of each top-level statement → the statement."""
    return {node.lineno: node for node in tree.body}


class MarkTransformer(ast.NodeTransformer):
    """IPython AST transformer: marks the next cell it sees, then removes itself."""

    def __init__(self, shell: Any, on_tree: Callable[[ast.Module], None]) -> None:
        self.shell = shell
        self.on_tree = on_tree

    def visit(self, node: ast.AST) -> ast.AST:
        self.remove()
        if not isinstance(node, ast.Module):
            return node
        self.on_tree(node)
        return add_marks(node)

    def remove(self) -> None:
        transformers = getattr(self.shell, "ast_transformers", None)
        if transformers is not None and self in transformers:
            transformers.remove(self)


class _Hooks:
    """What ``__memlens_mark__`` / ``__memlens_block__`` call (one session at a time)."""

    mark: Optional[Callable[[int], None]] = None
    block: Optional[Callable[[int], Any]] = None


class _NoBlock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> Literal[False]:
        return False


_NO_BLOCK = _NoBlock()


def _mark(line: int) -> None:
    hook = _Hooks.mark
    if hook is not None:
        hook(line)


def _block(line: int) -> Any:
    hook = _Hooks.block
    return hook(line) if hook is not None else _NO_BLOCK


_stack: List[Tuple[Any, Any]] = []


def install(mark: Callable[[int], None], block: Callable[[int], Any]) -> None:
    """Route the marks to a session (and put the names in ``builtins``).

    Sessions nest (``%%memlens_profile`` inside a profiled cell): ``uninstall``
    gives the marks back to the outer session.
    """
    _stack.append((_Hooks.mark, _Hooks.block))
    _Hooks.mark, _Hooks.block = mark, block
    setattr(builtins, MARK, _mark)
    setattr(builtins, BLOCK, _block)


def uninstall() -> None:
    """Undo the last ``install``; the names leave ``builtins`` with the last session."""
    _Hooks.mark, _Hooks.block = _stack.pop() if _stack else (None, None)
    if not _stack:
        for name in (MARK, BLOCK):
            if hasattr(builtins, name):
                delattr(builtins, name)
