"""The simulation as a child process, for benchmarks that time other child processes:
`with SimStack(scale=0.1) as sim:` then `sim.url`, `sim.stats()`, `sim.reset()`.

The moto server and the proxy run in their own process so that their CPU and memory
are never counted as the scan's."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_SESSION_TOKEN": "testing", "AWS_EC2_METADATA_DISABLED": "true",
                    "AWS_DEFAULT_REGION": "eu-west-1"}


class SimStack:
    def __init__(self, *, latency_ms: float = 40, rate: float = 10, scale: float = 1.0, seed: int = 17,
                 op_rates: tuple[str, ...] = (), estate: str = "sim", startup_timeout: float = 900):
        self.args = ["--estate", estate, "--latency-ms", str(latency_ms), "--rate", str(rate), "--scale", str(scale),
                     "--seed", str(seed), *[a for r in op_rates for a in ("--op-rate", r)]]
        self.startup_timeout = startup_timeout
        self.info: dict = {}
        self._proc: subprocess.Popen | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="aws-sim-")

    @property
    def url(self) -> str:
        return self.info["proxy"]

    def __enter__(self) -> "SimStack":
        ready = Path(self._dir.name) / "ready.json"
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.aws_sim", "serve", "--ready-file", str(ready), *self.args],
            cwd=REPO, env={**os.environ, **FAKE_CREDENTIALS}, stderr=subprocess.DEVNULL)
        try:   # whatever stops the wait (Ctrl-C too), the child does not outlive it
            deadline = time.monotonic() + self.startup_timeout
            while not ready.exists():
                if self._proc.poll() is not None:
                    raise RuntimeError(f"the simulation exited with {self._proc.returncode} while seeding")
                if time.monotonic() > deadline:
                    raise RuntimeError("the simulation did not come up in time")
                time.sleep(0.2)
            self.info = json.loads(ready.read_text())
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._dir.cleanup()

    def stats(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/_sim/stats", timeout=10) as resp:
            return json.load(resp)

    def reset(self) -> None:
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/_sim/reset", method="POST"),
                               timeout=10).read()


@dataclass(frozen=True, kw_only=True)
class Measured:
    returncode: int
    wall_seconds: float
    peak_rss_mb: float     # of the process and the children it waited for


def run_measured(cmd: list[str], *, env: dict, cwd: Path | None = None, log: Path | None = None) -> Measured:
    """Run `cmd` to its end; its wall time and peak resident memory (wait4's rusage is
    this child's alone, whatever else this process started)."""
    out = open(log, "wb") if log else subprocess.DEVNULL
    try:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            out.close()
    return Measured(returncode=proc.returncode, wall_seconds=wall,
                    peak_rss_mb=usage.ru_maxrss / 1024)   # Linux: kilobytes


def scan_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") or k in ("AWS_CA_BUNDLE",)}
    return {**env, **FAKE_CREDENTIALS, **(extra or {})}
