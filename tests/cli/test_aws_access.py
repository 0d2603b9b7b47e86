"""Reaching AWS: every credential, endpoint and region problem is one line and exit 2
before any collection; a scan that could read nothing is incomplete (exit 3), never
clean; `--regions all` and the default region are what the account and the user's
configuration say."""
from __future__ import annotations

import socket
import time

import boto3
import pytest
from click.testing import CliRunner

from mlwarden.cli import main

from ..conftest import REGION
from .conftest import findings, reset

CLOSED_PORT_URL = "http://127.0.0.1:9"   # discard port: nothing listens there


def _one_line_exit_2(result) -> str:
    assert result.exit_code == 2, (result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


def _scan(*args: str):
    return CliRunner().invoke(main, ["scan", "--format", "json", *args])


def test_a_misspelt_region_is_named_before_anything_else(tmp_path):
    # the endpoint does not exist: had anything been called, the error would name it
    line = _one_line_exit_2(_scan("--regions", "eu-west-1,eu-wset-1", "--endpoint-url", CLOSED_PORT_URL,
                                  "--out", str(tmp_path / "out")))
    assert "--regions: unknown region 'eu-wset-1'" in line and "eu-west-1" in line.split("did you mean")[1]
    assert not (tmp_path / "out").exists()


def test_all_cannot_be_mixed_with_names(tmp_path):
    line = _one_line_exit_2(_scan("--regions", "all,eu-west-1", "--out", str(tmp_path / "out")))
    assert "'all' cannot be combined" in line


def test_an_unreachable_endpoint_is_one_line_within_seconds(tmp_path):
    start = time.monotonic()
    line = _one_line_exit_2(_scan("--regions", REGION, "--endpoint-url", CLOSED_PORT_URL,
                                  "--out", str(tmp_path / "out")))
    assert time.monotonic() - start < 30
    assert line.startswith(f"mlwarden: error: --endpoint-url {CLOSED_PORT_URL}: cannot be reached")
    assert not (tmp_path / "out").exists(), "a run that failed before collecting leaves no directory"


def test_refused_keys_are_one_line_before_collection(enforced_iam, tmp_path):
    enforced_iam.refuse_everyone()   # "testing" is no key moto issued
    line = _one_line_exit_2(_scan("--regions", REGION, "--endpoint-url", enforced_iam.url,
                                  "--out", str(tmp_path / "out")))
    assert "AWS credentials (environment variables) were refused" in line and "InvalidClientTokenId" in line


@pytest.fixture
def all_denied_scan(enforced_iam, tmp_path, monkeypatch):
    keys = enforced_iam.user_without_permissions()
    for k, v in keys.env().items():
        monkeypatch.setenv(k, v)
    out = tmp_path / "out"
    result = _scan("--regions", REGION, "--endpoint-url", enforced_iam.url, "--out", str(out))
    return enforced_iam, out, result


def test_every_read_denied_is_incomplete_never_clean(all_denied_scan):
    enforced_iam, out, result = all_denied_scan
    assert result.exit_code == 3, result.output
    doc = findings(out)
    assert doc["coverage"], "every read failed: every type is a gap"
    assert {g["error_code"] for g in doc["coverage"]} <= {"AccessDenied", "AccessDeniedException", "403"}
    assert "NOT_ASSESSED" in {f["status"] for f in doc["findings"]}
    # said first, before the counts
    assert result.stdout.index("NOT ASSESSED:") < result.stdout.index("category")
    assert result.stderr.strip().splitlines()[-1].startswith("INCOMPLETE:")
    # accepted, it is exit 0 and says what was accepted
    again = _scan("--regions", REGION, "--endpoint-url", enforced_iam.url, "--out", str(out), "--allow-gaps")
    assert again.exit_code == 0, again.output
    assert "accepted with --allow-gaps" in again.stderr


def test_every_read_denied_reports_no_pass(all_denied_scan):
    _, out, result = all_denied_scan
    passes = [f["policy_id"] for f in findings(out)["findings"] if f["status"] == "PASS"]
    assert passes == []


def test_accounts_that_cannot_be_entered_make_the_scan_incomplete(enforced_iam, tmp_path, monkeypatch):
    keys = enforced_iam.user_without_permissions()
    for k, v in keys.env().items():
        monkeypatch.setenv(k, v)
    out = tmp_path / "out"
    result = _scan("--regions", REGION, "--endpoint-url", enforced_iam.url, "--out", str(out),
                   "--accounts", "111111111111,222222222222", "--role-name", "mlwarden-scan")
    assert result.exit_code == 3, result.output
    doc = findings(out)
    gaps = {(g["account"], g["operation"]) for g in doc["coverage"]}
    assert gaps == {("111111111111", "sts:AssumeRole"), ("222222222222", "sts:AssumeRole")}
    assert doc["findings"] and {f["status"] for f in doc["findings"]} == {"NOT_ASSESSED"}


def test_regions_all_scans_the_enabled_regions(moto_server, tmp_path):
    reset(moto_server)
    listed = boto3.client("ec2", region_name=REGION, endpoint_url=moto_server.url).describe_regions()["Regions"]
    enabled = sorted(r["RegionName"] for r in listed if r.get("OptInStatus") != "not-opted-in")
    not_opted_in = {r["RegionName"] for r in listed} - set(enabled)
    assert not_opted_in, "moto lists opt-in regions the account has not enabled"
    out = tmp_path / "out"
    result = _scan("--regions", "all", "--endpoint-url", moto_server.url, "--types", "AWS::KMS::Key",
                   "--out", str(out), "--fail-on", "none")
    assert result.exit_code == 0, result.output
    assert findings(out)["scan"]["regions"] == enabled and len(enabled) > 3   # not the opt-in ones
    assert f"{len(enabled)} enabled region(s) of the account (--regions all)" in result.stderr


def test_the_default_region_is_the_configured_one_and_said(moto_server, tmp_path, monkeypatch):
    reset(moto_server)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    out = tmp_path / "out"
    result = _scan("--endpoint-url", moto_server.url, "--types", "AWS::KMS::Key", "--out", str(out),
                   "--fail-on", "none")
    assert result.exit_code == 0, result.output
    assert findings(out)["scan"]["regions"] == ["eu-central-1"]
    assert "region eu-central-1 (your AWS configuration; --regions all scans every enabled region)" in result.stderr


def test_out_that_is_a_file_fails_before_any_aws_call(tmp_path):
    (tmp_path / "report").write_text("not a directory")
    line = _one_line_exit_2(_scan("--regions", REGION, "--endpoint-url", CLOSED_PORT_URL,
                                  "--out", str(tmp_path / "report")))
    assert f"--out {tmp_path / 'report'}: is a file, not a directory" in line


def test_ctrl_c_exits_130_promptly(tmp_path):
    """SIGINT while the pre-flight call waits on an endpoint that never answers."""
    import os
    import signal
    import subprocess

    from ..e2e.conftest import mlwarden_exe, subprocess_env

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        proc = subprocess.Popen([mlwarden_exe(), "scan", "--regions", REGION, "--endpoint-url", url,
                                 "--out", str(tmp_path / "out")], env=subprocess_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        listener.settimeout(60)
        conn, _ = listener.accept()   # the scan is now waiting for an answer
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        conn.close()
    assert proc.returncode == 130, err
    assert time.monotonic() - start < 10
    assert err.strip().splitlines()[-1] == "mlwarden: interrupted; nothing was published to --out"
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert os.path.exists(tmp_path)


STS_IDENTITY = b"""<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLE</UserId>
<Account>123456789012</Account></GetCallerIdentityResult>
<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"""


def test_ctrl_c_during_collection_ends_within_seconds_and_cleans_up(tmp_path):
    """An endpoint that answers who-am-I and then hangs on every read: the collectors'
    threads are stuck in a call, and Ctrl-C still ends the run at once."""
    import signal
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from ..e2e.conftest import mlwarden_exe, subprocess_env

    hanging = threading.Event()
    release = threading.Event()

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if b"Action=GetCallerIdentity" in body:
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(STS_IDENTITY)))
                self.end_headers()
                self.wfile.write(STS_IDENTITY)
                return
            hanging.set()
            release.wait(120)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = tmp_path / "out"
    out.mkdir()
    (out / "findings.json").write_text("an earlier run")
    try:
        proc = subprocess.Popen([mlwarden_exe(), "scan", "--regions", REGION, "--types", "AWS::KMS::Key",
                                 "--endpoint-url", f"http://127.0.0.1:{server.server_address[1]}",
                                 "--out", str(out)], env=subprocess_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert hanging.wait(120), "the scan never reached a collector"
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        elapsed = time.monotonic() - start
    finally:
        release.set()
        server.shutdown()
    assert proc.returncode == 130, err
    assert elapsed < 15, f"took {elapsed:.0f}s"
    assert "mlwarden: interrupted; nothing was published to --out" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["findings.json"]   # no lock, no staging left
    assert (out / "findings.json").read_text() == "an earlier run"
