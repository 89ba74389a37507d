"""The cell's top-level statements: boundary marks and the line map.

A profiled cell is compiled from an AST with a mark before each top-level
statement, so a session learns where statements start without a line
tracer (IPython compiles each top-level statement as its own code object;
the mark is one call per statement, never per loop iteration):

- a simple statement is wrapped in ``with __memlens_stmt__(line):``;
- an expression statement keeps its place (IPython displays the value of
  a last expression) and becomes ``__memlens_value__(__memlens_mark__(line),
  value)``: the mark starts it, ``__memlens_value__`` ends it and gives the
  value back to the display hook;
- a compound statement that runs code in the cell's frame (``for``,
  ``while``, ``if``, ``with``, ``try``, ``match``) is wrapped in
  ``with __memlens_block__(line):`` so the session gets the frame it runs in
  (for per-line events inside it) and its end.

So each statement's start and end run in the statement's own code object:
IPython compiles each top-level statement just before running it, and that
compile (~10 KiB of transient blocks), the display hook, the history and
the post-execute hooks after the last statement fall between statements,
not in one (a mark that only started statements charged them to the
statement before it). The exception: with ``ast_node_interactivity =
"last_expr_or_assign"`` a last assignment keeps a ``__memlens_mark__(line)``
before it (IPython displays it only while it is the last node); the session
then ends it when the run ends.

The names live in ``builtins`` only while a session runs (``install``).
Line numbers of the user's statements are unchanged.
"""

from __future__ import annotations

import ast
import builtins
from typing import Any, Callable, Dict, List, Literal, Optional, Tuple

MARK = "__memlens_mark__"
BLOCK = "__memlens_block__"
STMT = "__memlens_stmt__"
VALUE = "__memlens_value__"
NAMES = (MARK, BLOCK, STMT, VALUE)

_COMPOUND = tuple(
    getattr(ast, name)
    for name in ("For", "AsyncFor", "While", "If", "With", "AsyncWith", "Try", "TryStar", "Match")
    if hasattr(ast, name)
)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_ASSIGNS = (ast.Assign, ast.AugAssign, ast.AnnAssign)


def is_compound(node: ast.stmt) -> bool:
    """A statement whose body runs in the cell's own frame."""
    return isinstance(node, _COMPOUND)


def is_future_import(node: ast.stmt) -> bool:
    """``from __future__ import ...``: must stay first, so it gets no mark."""
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"


def _call(name: str, line: int, node: ast.stmt) -> ast.Call:
    call = ast.Call(
        func=ast.Name(id=name, ctx=ast.Load()), args=[ast.Constant(value=line)], keywords=[]
    )
    return ast.copy_location(call, node)


def add_marks(tree: ast.Module, last_assign_shown: bool = False) -> ast.Module:
    """Insert the statement marks in ``tree`` (in place; returns it).

    ``last_assign_shown``: IPython displays a last assignment
    (``ast_node_interactivity = "last_expr_or_assign"``), so a last
    assignment must stay the last node: it gets a mark before it instead.
    """
    body: List[ast.stmt] = []
    last = tree.body[-1] if tree.body else None
    for node in tree.body:
        if is_future_import(node):
            body.append(node)
            continue
        if is_compound(node):
            body.append(_wrap(BLOCK, node))
        elif isinstance(node, ast.Expr):
            value = ast.Call(
                func=ast.Name(id=VALUE, ctx=ast.Load()),
                args=[_call(MARK, node.lineno, node), node.value],
                keywords=[],
            )
            node.value = ast.copy_location(value, node.value)
            body.append(node)
        elif node is last and last_assign_shown and isinstance(node, _ASSIGNS):
            body.append(ast.copy_location(ast.Expr(value=_call(MARK, node.lineno, node)), node))
            body.append(node)
        else:
            body.append(_wrap(STMT, node))
    tree.body = body
    return ast.fix_missing_locations(tree)


def _wrap(name: str, node: ast.stmt) -> ast.stmt:
    wrapper = ast.With(
        items=[ast.withitem(context_expr=_call(name, node.lineno, node))], body=[node]
    )
    return ast.copy_location(wrapper, node)


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
        shown = getattr(self.shell, "ast_node_interactivity", None) == "last_expr_or_assign"
        return add_marks(node, last_assign_shown=shown)

    def remove(self) -> None:
        transformers = getattr(self.shell, "ast_transformers", None)
        if transformers is not None and self in transformers:
            transformers.remove(self)


class _Hooks:
    """What ``__memlens_mark__`` / ``__memlens_block__`` call (one session at a time)."""

    mark: Optional[Callable[[int], None]] = None
    block: Optional[Callable[[int], Any]] = None
    stmt: Optional[Callable[[int], Any]] = None
    end: Optional[Callable[[], None]] = None


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


def _stmt(line: int) -> Any:
    hook = _Hooks.stmt
    return hook(line) if hook is not None else _NO_BLOCK


def _value(started: None, value: Any) -> Any:
    hook = _Hooks.end
    if hook is not None:
        hook()
    return value


_Saved = Tuple[
    Optional[Callable[[int], None]],
    Optional[Callable[[int], Any]],
    Optional[Callable[[int], Any]],
    Optional[Callable[[], None]],
]
_stack: List[_Saved] = []


def install(
    mark: Callable[[int], None],
    block: Callable[[int], Any],
    stmt: Callable[[int], Any],
    end: Callable[[], None],
) -> None:
    """Route the marks to a session (and put the names in ``builtins``).

    Sessions nest (``%%memlens_profile`` inside a profiled cell): ``uninstall``
    gives the marks back to the outer session.
    """
    _stack.append((_Hooks.mark, _Hooks.block, _Hooks.stmt, _Hooks.end))
    _Hooks.mark, _Hooks.block, _Hooks.stmt, _Hooks.end = mark, block, stmt, end
    for name, fn in ((MARK, _mark), (BLOCK, _block), (STMT, _stmt), (VALUE, _value)):
        setattr(builtins, name, fn)


def uninstall() -> None:
    """Undo the last ``install``; the names leave ``builtins`` with the last session."""
    saved: _Saved = _stack.pop() if _stack else (None, None, None, None)
    _Hooks.mark, _Hooks.block, _Hooks.stmt, _Hooks.end = saved
    if not _stack:
        for name in NAMES:
            if hasattr(builtins, name):
                delattr(builtins, name)
