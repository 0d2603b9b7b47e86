"""The local OPA server behind `--engine opa`: reachable by mlwarden only, sandboxed,
and bounded in time per request."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import requests

from mlwarden.engine.base import EvalRequest
from mlwarden.engine.opa_engine import OpaEngine, OpaServer
from mlwarden.errors import InputError
from mlwarden.inventory import Inventory
from mlwarden.model import Resource
from mlwarden.policy.library import load_policies

HEADER = """\
# METADATA
# title: {pkg}
# description: test policy
# custom:
#   id: {pid}
#   severity: high
#   category: tagging
#   resource_types: [MLW::Test::Thing]
package {package}

import rego.v1

"""


def _policy(d: Path, pkg: str, pid: str, body: str, package: str | None = None) -> Path:
    path = d / f"{pkg}.rego"
    path.write_text(HEADER.format(pkg=pkg, pid=pid, package=package or f"custom.{pkg}")
                    + textwrap.dedent(body))
    return path


def _inventory_file(tmp_path: Path, n: int = 1) -> Path:
    inv = Inventory(resources=[Resource(type="MLW::Test::Thing", id=f"t{i}", arn=f"arn:aws:test:::thing/t{i}",
                                        account="1", region="eu-west-1", properties={"n": i})
                               for i in range(n)], accounts=["1"], regions=["eu-west-1"])
    path = tmp_path / "inventory.json"
    inv.save(path)
    return path


def _evaluate_cli(inventory: Path, policies: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "mlwarden"), "evaluate", str(inventory),
                           "--policies", str(policies), "--out", str(inventory.parent / "out"), *extra],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "XDG_CACHE_HOME": str(inventory.parent / "cache")})


@pytest.mark.parametrize("call", [
    "opa.runtime().env.AWS_SECRET_ACCESS_KEY",
    'http.send({"method": "get", "url": "http://127.0.0.1:1"}).body',
    'net.lookup_ip_addr("localhost")',
])
@pytest.mark.parametrize("engine", [[], ["--engine", "opa"]], ids=["default", "opa"])
def test_mlwarden_evaluate_refuses_a_policy_that_reads_the_environment_or_the_network(
        tmp_path, opa_binary, call, engine):
    policies = tmp_path / "policies"
    policies.mkdir()
    _policy(policies, "leak", "CUS-SEC-001", f"""\
        deny contains msg if {{
        \tmsg := sprintf("%v", [{call}])
        }}
        """)
    out = _evaluate_cli(_inventory_file(tmp_path), policies, *engine)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert f"leak.rego:14:" in lines[0] and call.split("(")[0] in lines[0]
    assert not (tmp_path / "out" / "findings.json").exists()


def test_a_policy_set_may_not_define_opas_own_configuration(tmp_path, opa_binary):
    """`system.authz` decides who may talk to the server: a policy cannot replace it."""
    _policy(tmp_path, "authz", "CUS-SEC-002", "allow := true\n\ndeny contains 'x' if false\n",
            package="system.authz")
    with pytest.raises(InputError) as err, OpaEngine(binary=opa_binary) as engine:
        engine.prepare(load_policies([tmp_path], include_shipped=False))
    assert "authz.rego:9:" in str(err.value) and "reserved" in str(err.value)


def test_the_local_server_answers_only_requests_with_its_token(opa_binary):
    with OpaServer(opa_binary) as server:
        url = f"{server.url}/v1/data"
        assert requests.get(url, timeout=5).status_code == 401
        assert requests.get(url, timeout=5, headers={"Authorization": "Bearer wrong"}).status_code == 401
        put = requests.put(f"{server.url}/v1/policies/x", data="package x\nallow := true\n", timeout=5)
        assert put.status_code == 401
        ok = requests.get(url, timeout=5, headers={"Authorization": f"Bearer {server.token}"})
        assert ok.status_code == 200
        assert server.url.startswith("http://127.0.0.1:")


def _other_local_address() -> str | None:
    """An address of this machine other than loopback (the one a route to the
    outside would use; nothing is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))   # TEST-NET-1: connect() on UDP only picks a route
            addr = s.getsockname()[0]
        except OSError:
            return None
    return None if addr.startswith("127.") else addr


def test_the_local_server_is_not_reachable_on_other_addresses(opa_binary):
    other = _other_local_address()
    if other is None:
        pytest.skip("this machine has no address besides loopback")
    with OpaServer(opa_binary) as server:
        with pytest.raises(OSError):
            socket.create_connection((other, server.port), timeout=2).close()
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()


def test_a_request_past_its_deadline_is_an_error_and_the_other_resources_are_judged(tmp_path, opa_binary):
    _policy(tmp_path, "slow", "CUS-LIM-001", """\
        deny contains "too big" if {
        \tinput.resource.properties.n == 1
        \tcount([x | some x in numbers.range(1, 100000000); x % 7 == 0]) > 0
        }

        deny contains "odd" if input.resource.properties.n == 3
        """)
    with OpaEngine(binary=opa_binary, deadline=2, batch_size=1) as engine:
        engine.prepare(load_policies([tmp_path], include_shipped=False))
        engine.load_settings({})
        reqs = [EvalRequest(key=f"t{n}", input={"resource": {"type": "MLW::Test::Thing", "id": f"t{n}",
                                                             "properties": {"n": n}}},
                            policy_ids=("CUS-LIM-001",)) for n in (1, 2, 3)]
        verdicts = {v.key: v for v in engine.evaluate(reqs)}
    assert "deadline" in verdicts["t1"].error
    assert verdicts["t2"].error is None and verdicts["t2"].violations == []
    assert [x["msg"] for x in verdicts["t3"].violations] == ["odd"]


def test_inputs_that_crash_an_opa_comparison_are_judged(tmp_path, opa_binary):
    """OPA 1.20 panics comparing 0.0 with 0.5 and reads 1.5e+10 as 1.5e+1: the engine
    sends integral floats as integers, so both are judged like any number."""
    _policy(tmp_path, "cmp", "CUS-LIM-002", """\
        deny contains "big" if input.resource.properties.n > 193536000

        deny contains "half" if input.resource.properties.n < 0.5
        """)
    with OpaEngine(binary=opa_binary) as engine:
        engine.prepare(load_policies([tmp_path], include_shipped=False))
        engine.load_settings({})
        reqs = [EvalRequest(key=str(n), input={"resource": {"type": "MLW::Test::Thing", "id": "x",
                                                            "properties": {"n": n}}},
                            policy_ids=("CUS-LIM-002",)) for n in (0.0, -0.0, 1.5e10, 2419200.0)]
        got = {v.key: (v.error, sorted(x["msg"] for x in v.violations)) for v in engine.evaluate(reqs)}
    assert got == {"0.0": (None, ["half"]), "-0.0": (None, ["half"]), "15000000000.0": (None, ["big"]),
                   "2419200.0": (None, [])}
