"""Placing blocks allocated below the traceback limit (pure function tests)."""

from memlens_kernel.profiling.attribution import charge_deep

MB = 1_000_000


def test_a_del_cancels_the_line_that_made_what_it_freed():
    # 1 import (deep), 2 prices (40 MB, freed by 4), 3 table (80 MB deep), 4 del prices
    net = {3: 0}
    grew = {1: 24 * MB, 2: 40 * MB, 3: 80 * MB, 4: -40 * MB}
    charge_deep(net, grew, deep=80 * MB, imports=24 * MB, importing={1})
    assert net[1] == 24 * MB
    assert net.get(2, 0) == 0
    assert net[3] == 80 * MB


def test_deep_bytes_are_shared_by_unexplained_growth():
    net = {1: 10 * MB}
    grew = {1: 10 * MB, 2: 30 * MB, 3: 10 * MB}
    charge_deep(net, grew, deep=20 * MB, imports=0, importing=set())
    # line 1 is explained by its own blocks; 2 and 3 share 20 MB as 30:10
    assert net[1] == 10 * MB
    assert net[2] == 15 * MB and net[3] == 5 * MB


def test_never_more_than_the_unexplained_growth():
    net: dict = {}
    charge_deep(net, {1: 5 * MB}, deep=50 * MB, imports=0, importing=set())
    assert net == {1: 5 * MB}


def test_imports_without_growth_go_to_the_first_import_line():
    net: dict = {}
    charge_deep(net, {2: 0}, deep=0, imports=3 * MB, importing={1})
    assert net == {1: 3 * MB}
