"""The scans the benchmarks time against the simulation: mlwarden's CLI as a user
runs it, and Prowler's SageMaker checks from their own virtual environment."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .stack import REPO, Measured, SimStack, run_measured, scan_env

PROWLER_VERSION = "5.46.0"
PROWLER_VENV = REPO / "benchmarks" / ".venvs" / f"prowler-{PROWLER_VERSION}"
LOCAL_ONLY = Path(__file__).with_name("local_only.py")
REGION = "eu-west-1"


@dataclass(frozen=True, kw_only=True)
class ScanResult:
    tool: str
    measured: Measured
    resources: int        # what the tool reports having judged
    gaps: int             # failed reads: mlwarden's coverage gaps, Prowler's ERROR log lines
    stats: dict           # the proxy's counters for this scan alone
    gap_kinds: Counter | None = None   # (operation, error code) -> coverage gaps
    log: Path | None = None            # the tool's output

    @property
    def answered(self) -> int:
        return self.stats["calls"] - self.stats["throttled"]

    def summary(self) -> str:
        m, per = self.measured, self.answered / max(1, self.resources)
        return (f"{self.tool}: {m.wall_seconds:.1f} s wall, peak RSS {m.peak_rss_mb:.0f} MB, "
                f"{self.resources} resources, {self.stats['calls']} requests "
                f"({self.stats['throttled']} throttled, {self.answered} answered: "
                f"{per:.2f} per resource), {self.gaps} failed read(s), exit {m.returncode}")


    def incomplete(self) -> str | None:
        """A warning when the scan gave up on reads: its wall time is not a complete scan's."""
        if not self.gaps:
            return None
        kinds = ", ".join(f"{op} {code}: {n}" for (op, code), n in (self.gap_kinds or Counter()).most_common(5))
        return (f"INCOMPLETE {self.tool}: {self.gaps} read(s) failed"
                + (f" ({kinds})" if kinds else "") + "; its wall time is that of a scan that gave up on them")


def mlwarden_command() -> list[str]:
    script = Path(sys.executable).with_name("mlwarden")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mlwarden.cli"]


def installed_commit(rev: str, workdir: Path) -> Path:
    """mlwarden as it was at git revision `rev`, laid out as an installed package in
    `workdir`/site-<rev> (its pyproject's package-dir mapping, copied; this environment's
    dependencies serve); run it with that directory first on PYTHONPATH, ahead of this
    checkout's editable install. The source comes from `git archive`, so the checkout
    and its worktrees are left alone."""
    import tomllib
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", f"{rev}^{{commit}}"],
                         check=True, capture_output=True, text=True).stdout.strip()
    site, src = workdir / f"site-{sha}", workdir / f"src-{sha}"
    if not (site / "mlwarden" / "cli.py").exists():
        shutil.rmtree(src, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        src.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", sha], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        mapping = tomllib.loads((src / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
        # Parents first: "mlwarden" = "scanner" before "mlwarden.reports" = "reports".
        for package, folder in sorted(mapping.items(), key=lambda kv: kv[0].count(".")):
            shutil.copytree(src / folder, site / package.replace(".", "/"), dirs_exist_ok=True)
        shutil.rmtree(src, ignore_errors=True)
    return site


def run_mlwarden(sim: SimStack, workdir: Path, *, extra: tuple[str, ...] = (),
                 commit_site: Path | None = None, label: str = "mlwarden") -> ScanResult:
    """`mlwarden scan` of the simulated account through the proxy, as a child process:
    this checkout's, or the one `installed_commit` put in `commit_site`."""
    out = workdir / label.replace(" ", "-")
    log = workdir / f"{label.replace(' ', '-')}.log"
    shutil.rmtree(out, ignore_errors=True)
    sim.reset()
    command, env = mlwarden_command(), scan_env()
    if commit_site is not None:
        command = [sys.executable, "-m", "mlwarden.cli"]
        env = scan_env({"PYTHONPATH": str(commit_site)})
    m = run_measured([*command, "scan", "--endpoint-url", sim.url, "--regions", REGION,
                      "--out", str(out), "--format", "json", "--fail-on", "none", "-q",
                      *sim.info.get("scan_args", []), *extra],
                     env=env, log=log)
    stats = sim.stats()
    findings = out / "findings.json"
    if not findings.exists():
        raise RuntimeError(f"mlwarden scan wrote no findings (exit {m.returncode}); see {log}")
    doc = json.loads(findings.read_text())
    gaps = doc.get("coverage") or []
    return ScanResult(tool=label, measured=m, resources=doc["scan"]["resource_count"],
                      gaps=len(gaps), stats=stats, log=log,
                      gap_kinds=Counter((g.get("operation", "?"), g.get("error_code", "?")) for g in gaps))


def prowler_python() -> Path:
    """Prowler in its own virtual environment (made on first use, from PyPI)."""
    python = PROWLER_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PROWLER_VENV)], check=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", f"prowler=={PROWLER_VERSION}"])
        if done.returncode != 0:
            shutil.rmtree(PROWLER_VENV, ignore_errors=True)
            raise RuntimeError(f"pip install prowler=={PROWLER_VERSION} failed (exit {done.returncode})")
    return python


def run_prowler(sim: SimStack, workdir: Path, python: Path) -> ScanResult:
    """`prowler aws --services sagemaker` through the proxy, every name lookup kept on
    127.0.0.1 by the launcher (AWS_ENDPOINT_URL sends each service to the proxy)."""
    out = workdir / "prowler"
    shutil.rmtree(out, ignore_errors=True)
    sim.reset()
    m = run_measured([str(python), str(LOCAL_ONLY), "prowler.__main__:prowler", "aws",
                      "--services", "sagemaker", "--region", REGION, "--output-formats", "json-ocsf",
                      "-o", str(out), "--no-banner", "--ignore-exit-code-3",
                      # Prowler logs only CRITICAL by default: a read it gave up on
                      # (throttled past its retries) is an ERROR line, counted below.
                      "--log-level", "ERROR"],
                     env=scan_env({"AWS_ENDPOINT_URL": sim.url}), log=workdir / "prowler.log")
    stats = sim.stats()
    reports = sorted(out.glob("*.ocsf.json"))
    if not reports:
        raise RuntimeError(f"prowler wrote no findings (exit {m.returncode}); see {workdir / 'prowler.log'}")
    findings = json.loads(reports[-1].read_text())
    resources = {r["uid"] for f in findings for r in f.get("resources", [])}
    errors = [line for line in (workdir / "prowler.log").read_text(errors="replace").splitlines()
              if "\tERROR: " in line or " ERROR: " in line]
    kinds = Counter((_prowler_call(line), _prowler_code(line)) for line in errors)
    return ScanResult(tool=f"prowler {PROWLER_VERSION}", measured=m, resources=len(resources),
                      gaps=len(errors), stats=stats, gap_kinds=kinds)


def _prowler_call(line: str) -> str:
    """`... [Module: sagemaker_service]\t ERROR: eu-west-1 -- ClientError[123]: An error
    occurred (ThrottlingException) when calling the DescribeModel operation ...`"""
    m = re.search(r"calling the (\w+) operation", line)
    return m[1] if m else "?"


def _prowler_code(line: str) -> str:
    m = re.search(r"An error occurred \((\w+)\)", line)
    return m[1] if m else line.rsplit("ERROR: ", 1)[-1][:60]
