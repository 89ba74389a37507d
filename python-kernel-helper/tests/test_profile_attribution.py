"""Placing traced blocks on the cell's lines (pure function tests)."""

from memlens_kernel.profiling.attribution import traced_by_line

MB = 1_000_000


def test_traces_go_to_cell_lines_deep_sites_or_nowhere():
    cell, lib, own = "<cell>", "lib.py", "profiler.py"
    line_map = {1: 1, 2: 2, 3: 2}  # line 3 continues the statement of line 2
    at = {n: ((cell, n),) for n in (1, 2, 3)}
    site = ((lib, 10),)
    traces = [
        (0, 100, at[1], 20),
        (0, 50, at[1], 20),  # the same frames tuple: placed once
        (0, 7, at[3], 20),
        (0, 1000, site, 25),  # called from the cell (a deeper stack)
        (0, 400, site, 1),  # a thread's whole stack without the cell
        (0, 9, ((own, 5),), 30),  # the profiler's bookkeeping
        (0, 3, ((cell, 99),), 20),  # a def body of the cell: deep
        (0, 11, (), 0),
    ]
    net, deep = traced_by_line(cell, line_map, frozenset({own}), traces)
    assert net == {1: 150, 2: 7}
    assert deep == {site: 1000, ((cell, 99),): 3}
    assert traced_by_line(cell, line_map, frozenset({own}), traces, deep_only=True) == ({}, deep)


def test_deep_bytes_go_to_the_segment_that_left_them():
    from memlens_kernel.profiling.attribution import deep_by_segment

    a, b = (("lib.py", 1),), (("lib.py", 2),)
    # segment 0 leaves 10 MB at a; segment 1 adds 5 MB at a, then segment 2
    # frees 7 MB of it (the latest growth first) and leaves 3 MB at b
    snaps = [{}, {a: 10 * MB}, {a: 15 * MB}, {a: 8 * MB, b: 3 * MB}]
    assert deep_by_segment(snaps) == [8 * MB, 0, 3 * MB]


def test_spread_gives_everything_in_proportion_to_unexplained_growth():
    from memlens_kernel.profiling.attribution import spread

    net = {2: 1 * MB}
    spread(net, {1: 0, 2: 4 * MB, 3: 2 * MB}, 5 * MB)
    assert net == {2: 1 * MB + 3 * MB, 3: 2 * MB}
    only: dict = {}
    spread(only, {7: 0}, 5 * MB)
    assert only == {7: 5 * MB}


def test_marks_keep_lines_and_wrap_compound_statements():
    import ast

    from memlens_kernel.profiling import statements

    source = (
        "from __future__ import annotations\n"
        "def f(n):\n"
        "    return [0] * n\n"
        "x = f(3)\n"
        "for i in range(2):\n"
        "    y = (i,\n"
        "         i)\n"
        "x\n"
    )
    tree = ast.parse(source)
    assert statements.line_map(tree) == {1: 1, 2: 2, 4: 4, 5: 5, 6: 6, 7: 6, 8: 8}
    marked = statements.add_marks(tree)
    kinds = [type(node).__name__ for node in marked.body]
    # each statement's start and end run in its own node (IPython compiles
    # each top-level node just before it runs: that compile is no line's)
    assert kinds == ["ImportFrom", "With", "With", "With", "Expr"]
    assert marked.body[3].body[0].lineno == 5
    seen: list = []

    def stmt(line: int) -> object:
        seen.append(("stmt", line))
        return statements._NO_BLOCK

    statements.install(
        lambda line: seen.append(("mark", line)),
        lambda line: seen.append(("block", line)) or statements._NO_BLOCK,
        stmt,
        lambda: seen.append("end"),
    )
    try:
        ns: dict = {}
        exec(compile(marked, "<t>", "exec"), ns)
        value = eval(compile(ast.Expression(marked.body[-1].value), "<t>", "eval"), ns)
    finally:
        statements.uninstall()
    assert seen[:5] == [("stmt", 2), ("stmt", 4), ("block", 5), ("mark", 8), "end"]
    assert ns["y"] == (1, 1) and value == [0, 0, 0]
    # a last assignment IPython displays (last_expr_or_assign) stays the last node
    shown = statements.add_marks(ast.parse("a = 1\nb = 2\n"), last_assign_shown=True)
    assert [type(node).__name__ for node in shown.body] == ["With", "Expr", "Assign"]
    import builtins

    assert not any(hasattr(builtins, name) for name in statements.NAMES)
