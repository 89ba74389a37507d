"""The comm protocol through a fake comm: every sent message must match the schema."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest

import memlens_kernel
from memlens_kernel import state
from memlens_kernel.comm import target as commtarget
from memlens_kernel.comm.protocol import PROTOCOL_VERSION, REQUEST_TYPES


class FakeComm:
    """Records what the helper sends (like ipywidgets' test DummyComm)."""

    def __init__(self) -> None:
        self.comm_id = "fake-comm"
        self.sent: List[Dict[str, Any]] = []
        self._on_msg: Callable[[Dict[str, Any]], None] = lambda m: None
        self._on_close: Callable[[Any], None] = lambda m: None

    def send(self, data: Dict[str, Any]) -> None:
        self.sent.append(data)

    def on_msg(self, cb: Callable[[Dict[str, Any]], None]) -> None:
        self._on_msg = cb

    def on_close(self, cb: Callable[[Any], None]) -> None:
        self._on_close = cb

    def receive(self, data: Any) -> Dict[str, Any]:
        self._on_msg({"content": {"comm_id": self.comm_id, "data": data}})
        return self.sent[-1]


class FakeShell:
    def __init__(self, ns: Dict[str, Any]) -> None:
        self.user_ns = ns
        self.user_ns_hidden: Dict[str, Any] = {}


@pytest.fixture
def comm(validate, monkeypatch):
    ns: Dict[str, Any] = {"x": list(range(1000, 50_000)), "s": "text", "Out": {}}
    monkeypatch.setattr(state.HELPER, "loaded_shell", FakeShell(ns))
    fake = FakeComm()
    commtarget._on_open(fake, {"content": {"data": {}}})
    yield fake, ns
    for message in fake.sent:
        validate(message)
    state.HELPER.comms.clear()


def req(rtype: str, rid: int = 1, **args: Any) -> Dict[str, Any]:
    return {"protocol": PROTOCOL_VERSION, "id": rid, "type": rtype, **args}


def test_hello_reports_versions_and_capabilities(comm):
    fake, _ = comm
    reply = fake.receive(req("hello", frontend_version="0.1.0"))
    assert reply["ok"] is True and reply["type"] == "hello_reply" and reply["id"] == 1
    assert reply["helper_version"] == memlens_kernel.__version__
    assert set(reply["capabilities"]["requests"]) == set(REQUEST_TYPES)


def test_every_request_type_answers_with_its_reply(comm):
    fake, _ = comm
    args = {"dataframe": {"name": "x"}, "delete": {"name": "s"}, "profile": {"cell_id": "c1"}}
    for i, rtype in enumerate(REQUEST_TYPES):
        reply = fake.receive(req(rtype, rid=i, **args.get(rtype, {})))
        assert reply["type"] == f"{rtype}_reply" and reply["id"] == i
        if rtype == "dataframe":  # x is a list, not a DataFrame
            assert reply["ok"] is False and "not a pandas DataFrame" in reply["error"]
        else:
            assert reply["ok"] is True, reply


def test_snapshot_reply_carries_the_api_payload(comm):
    fake, _ns = comm
    reply = fake.receive(req("snapshot", budget_ms=500, threshold_bytes=1))
    names = [v["name"] for v in reply["snapshot"]["variables"]]
    assert names == ["x", "s"]
    assert reply["snapshot"]["findings"][0]["rule"] == "LV101"


@pytest.mark.parametrize(
    "message, fragment, rtype",
    [
        ("not an object", "JSON object", "error_reply"),
        ({"protocol": "1.0", "type": "hello"}, "`id`", "error_reply"),
        (
            {"protocol": "1.0", "id": 3, "type": "exec"},
            "unknown request type 'exec'",
            "error_reply",
        ),
        ({"protocol": "2.0", "id": 4, "type": "hello"}, "protocol mismatch", "hello_reply"),
        ({"id": 5, "type": "hello"}, "missing `protocol`", "hello_reply"),
        (
            {"protocol": "1.0", "id": 6, "type": "snapshot", "budget_ms": "fast"},
            "budget_ms",
            "snapshot_reply",
        ),
        (
            {"protocol": "1.0", "id": 7, "type": "delete", "name": "__import__('os')"},
            "not a valid Python identifier",
            "delete_reply",
        ),
        (
            {"protocol": "1.0", "id": 8, "type": "delete", "name": "missing"},
            "not defined",
            "delete_reply",
        ),
        (
            {"protocol": "1.0", "id": 9, "type": "delete", "name": "Out"},
            "belongs to IPython",
            "delete_reply",
        ),
        ({"protocol": "1.0", "id": 10, "type": "timeline", "since": -1}, "since", "timeline_reply"),
    ],
)
def test_bad_requests_get_clear_errors(comm, message, fragment, rtype):
    fake, ns = comm
    before = dict(ns)
    reply = fake.receive(message)
    assert reply["ok"] is False and reply["type"] == rtype
    assert fragment in reply["error"]
    assert ns == before  # nothing changed, nothing executed


def test_delete_removes_the_name(comm):
    fake, ns = comm
    reply = fake.receive(req("delete", name="x"))
    assert reply["ok"] and reply["result"]["deleted"] and "x" not in ns
    assert reply["result"]["freed_bytes"] > 300_000


def test_handler_exception_becomes_ok_false(comm, monkeypatch):
    fake, _ = comm
    from memlens_kernel.comm import handlers

    def boom(args):
        raise RuntimeError("kaput")

    monkeypatch.setitem(handlers.HANDLERS, "collect", boom)
    reply = fake.receive(req("collect"))
    assert reply == {
        "protocol": PROTOCOL_VERSION,
        "id": 1,
        "type": "collect_reply",
        "ok": False,
        "error": "internal error: RuntimeError: kaput",
    }


def test_cell_event_is_broadcast_and_valid(comm):
    fake, _ = comm
    state.HELPER.comms[fake.comm_id] = fake
    tl = state.timeline()

    class Info:
        silent = False
        store_history = True
        cell_id = "abc"

    class Result:
        execution_count = 3
        error_in_exec = None
        error_before_exec = None

    listeners = list(tl.listeners)
    tl.listeners[:] = [commtarget.send_event]
    try:
        tl.pre_run_cell(Info())
        tl.post_run_cell(Result())
    finally:
        tl.listeners[:] = listeners
    event = fake.sent[-1]
    assert event["type"] == "event" and event["event"] == "cell"
    assert event["data"]["execution_count"] == 3 and event["data"]["cell_id"] == "abc"


def test_schema_has_a_definition_per_message(schema):
    defs = schema["$defs"]
    for rtype in REQUEST_TYPES:
        camel = "".join(p.capitalize() for p in rtype.split("_"))
        assert defs[f"{camel}Request"]["properties"]["type"]["const"] == rtype
        assert defs[f"{camel}Reply"]["properties"]["type"]["const"] == f"{rtype}_reply"
    assert {"ErrorReply", "CellEvent", "Snapshot", "Variable", "Finding"} <= set(defs)


@pytest.mark.parametrize(
    "message",
    [
        {"protocol": "1.0", "id": 1, "type": "snapshot_reply", "ok": True},  # no payload
        {"protocol": "1.0", "id": 1, "type": "hello_reply", "ok": False},  # no error text
        {"protocol": "1.0", "id": 1, "type": "delete"},  # name is required
        {"protocol": "1", "id": 1, "type": "hello"},  # not major.minor
        {"protocol": "1.0", "type": "event", "event": "cell", "data": {"seq": 1}},
    ],
)
def test_schema_rejects_malformed_messages(validate, message):
    with pytest.raises(AssertionError):
        validate(message)
