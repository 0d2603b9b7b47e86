"""Progress as a user sees it: in a CI log, a plain line every few seconds; on a
terminal, a live table per service with resources counted, then evaluation; colour
only on a terminal and never with NO_COLOR. Runs the installed command against a
moto server, in a pipe and in a pseudo-terminal."""
from __future__ import annotations

import os
import pty
import re
import subprocess

import boto3
import pytest

from ..conftest import REGION
from ..e2e.conftest import mlwarden_exe, subprocess_env
from .conftest import reset

TYPES = "AWS::KMS::Key,AWS::S3::Bucket,AWS::SageMaker::NotebookInstance"
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;[25];[0-9;]+)m")   # a foreground colour


@pytest.fixture
def small_estate(moto_server):
    reset(moto_server)
    kms = boto3.client("kms", region_name=REGION, endpoint_url=moto_server.url)
    for i in range(3):
        kms.create_key(Description=f"key {i}")
    boto3.client("sagemaker", region_name=REGION, endpoint_url=moto_server.url).create_notebook_instance(
        NotebookInstanceName="plain", InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/nb")
    return moto_server


def _args(server, out) -> list[str]:
    return [mlwarden_exe(), "scan", "--endpoint-url", server.url, "--regions", REGION, "--types", TYPES,
            "--out", str(out), "--format", "json", "--fail-on", "none"]


def test_without_a_terminal_a_plain_line_every_interval(small_estate, tmp_path):
    env = {**subprocess_env(), "MLWARDEN_PROGRESS_INTERVAL": "0.05"}
    proc = subprocess.run(_args(small_estate, tmp_path / "out"), env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("mlwarden: ")]
    assert len(lines) >= 3, proc.stderr
    collecting = [ln for ln in lines if ln.startswith("mlwarden: collecting")]
    assert collecting and re.search(r"\d+/\d+ collector jobs · \d+ resources · \d+ gaps · elapsed \d+s",
                                    collecting[-1])
    # Progress goes on past collection: evaluating 5 resources can take less than the
    # interval, so the line may show it or the phase after it.
    assert any(ln.startswith(("mlwarden: evaluating 5 resources", "mlwarden: writing reports"))
               for ln in lines), lines
    assert "\x1b" not in proc.stderr + proc.stdout   # no cursor tricks, no colour in a log


def _in_a_terminal(args: list[str], env: dict) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal; return exit code and what it showed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:   # EIO: the other side closed
            break
        if not chunk:
            break
        shown.extend(chunk)
    os.close(master)
    return proc.wait(timeout=300), shown.decode(errors="replace")


def test_on_a_terminal_a_live_table_per_service_and_colour(small_estate, tmp_path):
    env = {**subprocess_env(), "TERM": "xterm-256color", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    code, shown = _in_a_terminal(_args(small_estate, tmp_path / "out"), env)
    assert code == 0, shown
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    # the live table: a row per service with the resources read there
    assert re.search(r"service\s+region\s+types read\s+resources\s+gaps", plain), plain
    assert re.search(r"KMS\s+eu-west-1\s+1\s+3\s+0", plain), plain
    assert re.search(r"SageMaker\s+eu-west-1\s+\d+\s+\d+\s+0", plain), plain
    assert COLOUR.search(shown), "a terminal gets colour"
    assert "Failing policies" in plain


def test_no_color_is_honoured_on_a_terminal(small_estate, tmp_path):
    env = {**subprocess_env(), "TERM": "xterm-256color", "COLUMNS": "120", "NO_COLOR": "1"}
    code, shown = _in_a_terminal(_args(small_estate, tmp_path / "out"), env)
    assert code == 0, shown
    assert "Failing policies" in shown
    assert not COLOUR.search(shown), repr(COLOUR.search(shown))
