"""The snapshot reports the user's collector setting, not the helper's pause."""

import gc

from memlens_kernel import inspect_namespace


def test_snapshot_reports_gc_enabled_while_the_helper_pauses_it():
    assert gc.isenabled()
    snapshot = inspect_namespace({"x": [1, 2, 3]})
    assert snapshot["gc"]["enabled"] is True
    assert gc.isenabled()


def test_snapshot_reports_gc_disabled_by_the_user_and_leaves_it_disabled():
    gc.disable()
    try:
        snapshot = inspect_namespace({"x": [1, 2, 3]})
        assert snapshot["gc"]["enabled"] is False
        assert not gc.isenabled()
    finally:
        gc.enable()
