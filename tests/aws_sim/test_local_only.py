"""The launcher Prowler runs under keeps every connection on this machine: names
resolve to 127.0.0.1, and an address elsewhere is refused before a packet leaves."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parents[2] / "benchmarks" / "aws_sim" / "local_only.py"

PROBE = """
import socket, sys
sys.path.insert(0, sys.argv[1])
import local_only
local_only.confine()
out = {"lookup": socket.getaddrinfo("123456789012.s3-control.eu-west-1.amazonaws.com", 443)[0][4][0]}
for address in [("192.0.2.10", 443), ("2001:db8::1", 443, 0, 0)]:
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    try:
        socket.socket(family).connect(address)
        out[address[0]] = "connected"
    except ConnectionRefusedError as exc:
        out[address[0]] = str(exc)
print(json.dumps(out))
"""


def test_names_resolve_locally_and_remote_addresses_are_refused():
    done = subprocess.run([sys.executable, "-c", "import json\n" + PROBE, str(LAUNCHER.parent)],
                          capture_output=True, text=True, timeout=60, check=True)
    out = json.loads(done.stdout)
    assert out["lookup"] == "127.0.0.1"
    assert "refused a connection to 192.0.2.10" in out["192.0.2.10"]
    assert "refused a connection to 2001:db8::1" in out["2001:db8::1"]


def test_runs_an_entry_point_with_its_arguments(tmp_path):
    doc = tmp_path / "doc.json"
    doc.write_text('{"b": 1, "a": [1, 2]}')
    done = subprocess.run([sys.executable, str(LAUNCHER), "json.tool:main", "--sort-keys", "--compact", str(doc)],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, '{"a":[1,2],"b":1}')


def test_without_an_entry_point_it_says_how_to_call_it():
    done = subprocess.run([sys.executable, str(LAUNCHER), "prowler"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "usage: local_only.py module:function" in done.stderr
