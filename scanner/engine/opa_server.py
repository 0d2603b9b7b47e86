"""A local OPA for `--engine opa`: found, sandboxed and started as a child process.

The server is reachable by this process only: it listens on 127.0.0.1 on a free port
and answers only requests carrying a bearer token generated for this run
(`--authentication=token --authorization=basic` with a generated `system.authz`
policy), so another local user or a web page cannot read or replace the policies
while a scan runs. The policies it loads have passed the sandbox check first
(`wasm_build.sandbox_check`: `opa check` against the capabilities allow-list).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import weakref
from pathlib import Path

from ..errors import InputError

def find_opa_binary() -> Path | None:
    """MLWARDEN_OPA, then `opa` on PATH, then the repository's `.tools/bin/opa`."""
    env = os.environ.get("MLWARDEN_OPA")
    if env:
        return Path(env) if Path(env).is_file() else None
    on_path = shutil.which("opa")
    if on_path:
        return Path(on_path)
    built = Path(__file__).resolve().parents[2] / ".tools" / "bin" / "opa"
    return built if built.is_file() else None


def require_opa_binary(binary: Path | None = None) -> Path:
    binary = binary or find_opa_binary()
    if binary is None:
        where = os.environ.get("MLWARDEN_OPA")
        raise InputError(
            f"--engine opa: MLWARDEN_OPA={where} is not a file" if where else
            "--engine opa: no `opa` binary found (set MLWARDEN_OPA, put `opa` on PATH, "
            "run `scripts/bootstrap.sh opa`, or give --opa-url)")
    return binary


# --- the server -------------------------------------------------------------------------

def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_AUTHZ = """package system.authz

import rego.v1

default allow := false

allow if input.identity == {token}
"""


class OpaServer:
    """`opa run --server` on a free 127.0.0.1 port, as a child process, answering only
    requests with `Authorization: Bearer <self.token>`.

    `--skip-version-check`: OPA otherwise phones home to check for a newer version.
    """

    def __init__(self, binary: Path | None = None, files: list[Path] = ()):
        self.binary = require_opa_binary(binary)
        self.files = [str(f) for f in files]   # Rego files loaded (compiled once) at start
        self.token = secrets.token_urlsafe(32)
        self.port: int | None = None
        self._proc: subprocess.Popen | None = None
        self._log = None
        self._dir: tempfile.TemporaryDirectory | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> "OpaServer":
        self._dir = tempfile.TemporaryDirectory(prefix="mlwarden-opa-authz-")  # 0700: the token stays ours
        authz = Path(self._dir.name) / "authz.rego"
        authz.write_text(_AUTHZ.format(token=json.dumps(self.token)))
        for _ in range(3):  # a free port can be taken between probing and binding
            self.port = _free_port()
            self._log = tempfile.TemporaryFile()
            self._proc = subprocess.Popen(
                [str(self.binary), "run", "--server", "--addr", f"127.0.0.1:{self.port}",
                 "--authentication=token", "--authorization=basic",
                 "--skip-version-check", "--log-level", "error", str(authz), *self.files],
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
            # An engine nobody closed must not leave a server running after mlwarden
            # exits: stopped when this object is collected, or at interpreter exit.
            weakref.finalize(self, _terminate, self._proc)
            if self._wait_healthy(timeout):
                return self
            exited = self._proc.poll() is not None
            self.stop(keep_dir=True)
            if exited and "address already in use" not in self.log_tail():
                break   # a policy that does not compile, a bad flag: retrying will not help
        err = self.log_tail()
        self.stop()
        m = re.search(r"(\S+\.rego:\d+: rego_\w+: .*)", err)
        if m:   # a module OPA does not compile: name the file and line first
            raise InputError(f"{m.group(1).strip()} (OPA refused the policies)")
        raise InputError(f"--engine opa: {self.binary} did not start a server: {err}")

    def healthy(self) -> bool:
        import requests
        try:
            return requests.get(f"{self.url}/health", timeout=1,
                                headers={"Authorization": f"Bearer {self.token}"}).status_code == 200
        except requests.RequestException:
            return False

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            if self.healthy():
                return True
            time.sleep(0.05)
        return False

    def log_tail(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        text = self._log.read().decode(errors="replace").strip()
        return " ".join(text.splitlines()[-3:])[:600] if text else "(no output)"

    def stop(self, keep_dir: bool = False) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
        if self._dir is not None and not keep_dir:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
