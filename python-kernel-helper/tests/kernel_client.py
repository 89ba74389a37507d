"""A small jupyter_client driver for real-kernel tests."""

from __future__ import annotations

import os
import queue
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from jupyter_client.manager import KernelManager

START_TIMEOUT = 90.0  # a loaded 2-core machine can be slow to start a kernel


class Kernel:
    """One kernel with isolated Jupyter/IPython dirs; comm helpers."""

    def __init__(self, tmp: Path, hide_installed_helper: bool = False) -> None:
        env = dict(os.environ)
        for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            path = tmp / var.lower()
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        if hide_installed_helper:
            # Simulate a kernel environment without memlens-kernel installed.
            startup = tmp / "ipythondir" / "profile_default" / "startup"
            startup.mkdir(parents=True, exist_ok=True)
            (startup / "00-hide-memlens.py").write_text(
                "import sys as _s\n"
                "_s.path[:] = [p for p in _s.path if 'python-kernel-helper' not in p]\n"
                "del _s\n"
            )
        self.km = KernelManager(kernel_name="python3")
        self.km.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        self.km.start_kernel(env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=START_TIMEOUT)
        self.events: List[Dict[str, Any]] = []
        self.comm_msgs: List[Dict[str, Any]] = []
        self.comm_id: Optional[str] = None
        self._next_id = 0

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    # -- execution ------------------------------------------------------
    def execute(self, code: str, *, silent: bool = False, timeout: float = 60.0) -> Dict:
        msg_id = self.kc.execute(code, silent=silent, store_history=not silent)
        reply = self._shell_reply(msg_id, timeout)
        self.pump(
            lambda m: (
                m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle"
                and m["parent_header"].get("msg_id") == msg_id
            ),
            timeout,
        )
        return reply

    def _shell_reply(self, msg_id: str, timeout: float) -> Dict:
        deadline = time.monotonic() + timeout
        while True:
            msg = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def user_expression(self, expr: str) -> str:
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"v": expr})
        reply = self._shell_reply(msg_id, 60)
        return reply["content"]["user_expressions"]["v"]["data"]["text/plain"]

    # -- iopub ----------------------------------------------------------
    def pump(self, until: Callable[[Dict], bool], timeout: float) -> Optional[Dict]:
        """Read iopub until ``until(msg)``; comm traffic is recorded on the way."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(
                    timeout=min(0.2, max(0.01, deadline - time.monotonic()))
                )
            except queue.Empty:
                continue
            if msg["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == self.comm_id:
                data = msg["content"]["data"]
                self.comm_msgs.append(data)
                if data.get("type") == "event":
                    self.events.append(data)
            if msg["msg_type"] == "comm_close" and msg["content"]["comm_id"] == self.comm_id:
                self.comm_msgs.append({"__closed__": True})
            if until(msg):
                return msg
        return None

    # -- comm -----------------------------------------------------------
    def run_cell(self, code: str, cell_id: str, timeout: float = 120.0) -> Dict:
        """Execute ``code`` as JupyterLab does (``cellId`` in the metadata)
        and wait until the kernel is idle again; returns the request."""
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": False,
        }
        msg = self.kc.session.msg("execute_request", content, metadata={"cellId": cell_id})
        self.kc.shell_channel.send(msg)
        self.pump(
            lambda m: (
                m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle"
                and m["parent_header"].get("msg_id") == msg["header"]["msg_id"]
            ),
            timeout,
        )
        return msg

    def open_comm(self, target: str = "memlens") -> str:
        self.comm_id = uuid.uuid4().hex
        msg = self.kc.session.msg(
            "comm_open",
            {"comm_id": self.comm_id, "target_name": target, "data": {"protocol": "1.0"}},
        )
        self.kc.shell_channel.send(msg)
        return self.comm_id

    def send(self, rtype: str, subshell_id: Optional[str] = None, **args: Any) -> int:
        self._next_id += 1
        data = {"protocol": "1.0", "id": self._next_id, "type": rtype, **args}
        msg = self.kc.session.msg("comm_msg", {"comm_id": self.comm_id, "data": data})
        if subshell_id:
            msg["header"]["subshell_id"] = subshell_id
        self.kc.shell_channel.send(msg)
        return self._next_id

    def request(
        self, rtype: str, timeout: float = 30.0, subshell_id: Optional[str] = None, **args: Any
    ) -> Dict[str, Any]:
        rid = self.send(rtype, subshell_id=subshell_id, **args)
        found = self.pump(
            lambda m: m["msg_type"] == "comm_msg" and m["content"]["data"].get("id") == rid, timeout
        )
        assert found is not None, f"no reply to {rtype} within {timeout}s"
        return found["content"]["data"]

    def create_subshell(self) -> str:
        msg = self.kc.session.msg("create_subshell_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=30)
        assert reply["content"]["status"] == "ok", reply
        return reply["content"]["subshell_id"]
