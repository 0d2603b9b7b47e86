"""The OPA engine against a real `opa run --server` on 127.0.0.1 (and a local one it starts)."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.engine.base import EvalRequest
from mlwarden.engine.opa_engine import OpaEngine, OpaServer, find_opa_binary
from mlwarden.errors import InputError
from mlwarden.inventory import Inventory
from mlwarden.model import Resource, Status
from mlwarden.policy.library import load_policies


def _notebook(name: str, **props) -> dict:
    return {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": name, "properties": props,
                         "tags": {}, "facts": {}}, "related": {}, "related_missing": {},
            "account": {"id": "111122223333", "region": "eu-west-1"}}


def _write_policy(directory: Path, name: str, pid: str, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.rego"
    path.write_text(textwrap.dedent(f"""\
        # METADATA
        # title: Custom {name}
        # description: A team's own rule, for the engine tests.
        # custom:
        #   id: {pid}
        #   severity: low
        #   category: tagging
        #   resource_types: [AWS::SageMaker::NotebookInstance]
        package custom.{name}

        import rego.v1

        """) + textwrap.dedent(body))
    return path


def test_server_engine_fails_the_unencrypted_notebook_and_passes_the_encrypted_one(opa_server):
    ps = load_policies()
    with OpaEngine(url=opa_server.url) as engine:
        engine.prepare(ps)
        engine.load_settings({"trusted_kms_keys": []})   # settings are data, set per scan
        verdicts = engine.evaluate([
            EvalRequest(key="plain", input=_notebook("plain"), policy_ids=("MLW-ENC-001",)),
            EvalRequest(key="sealed", input=_notebook("sealed", KmsKeyId="arn:aws:kms:eu-west-1:111122223333:key/k"),
                        policy_ids=("MLW-ENC-001",)),
        ])
    by_key = {v.key: v for v in verdicts}
    assert [x["msg"] for x in by_key["plain"].violations] and not by_key["plain"].error
    assert "plain" in by_key["plain"].violations[0]["msg"]
    assert by_key["sealed"].violations == [] and by_key["sealed"].error is None


def test_batched_requests_give_the_same_verdicts_as_one_request_per_resource(opa_server):
    ps = load_policies()
    ids = tuple(p.id for p in ps.for_type("AWS::SageMaker::NotebookInstance"))
    requests = [EvalRequest(key=f"nb{i}", policy_ids=ids, input=_notebook(
        f"nb{i}", **({"KmsKeyId": "alias/aws/sagemaker"} if i % 3 == 0 else {}),
        **({"DirectInternetAccess": "Enabled"} if i % 2 else {"DirectInternetAccess": "Disabled"})))
        for i in range(40)]

    def outcome(verdicts):
        return {(v.policy_id, v.key): (v.error, v.applicable, sorted(x["msg"] for x in v.violations))
                for v in verdicts}
    with OpaEngine(url=opa_server.url, batch_size=1) as one, OpaEngine(url=opa_server.url, batch_size=16) as many:
        one.prepare(ps)
        many.prepare(ps)
        one.load_settings({"trusted_kms_keys": []})   # settings are data, set per scan
        many.load_settings({"trusted_kms_keys": []})   # settings are data, set per scan
        single, batched = outcome(one.evaluate(requests)), outcome(many.evaluate(requests))
    assert single == batched
    assert len(single) == 40 * len(ids)
    assert any(msgs for _, _, msgs in single.values())


def test_a_policy_that_errors_is_an_error_for_that_policy_only(opa_server, tmp_path):
    _write_policy(tmp_path / "team", "broken", "TEAM-TAG-001", """\
        deny contains msg if {
        	n := to_number(input.resource.id)   # "nb-x" is not a number: a builtin error
        	n > 0
        	msg := "never"
        }
        """)
    ps = load_policies([tmp_path / "team"])
    with OpaEngine(url=opa_server.url) as engine:
        engine.prepare(ps)
        engine.load_settings({"trusted_kms_keys": []})   # settings are data, set per scan
        requests = [EvalRequest(key=f"nb-{i}", input=_notebook(f"nb-{i}"), policy_ids=("MLW-ENC-001", "TEAM-TAG-001"))
                    for i in range(3)]
        verdicts = engine.evaluate(requests)
    broken = [v for v in verdicts if v.policy_id == "TEAM-TAG-001"]
    assert len(broken) == 3 and all(v.error and "to_number" in v.error for v in broken)
    assert all(v.violations and not v.error for v in verdicts if v.policy_id == "MLW-ENC-001")


def test_a_second_prepare_removes_modules_the_server_no_longer_needs(opa_server, tmp_path):
    _write_policy(tmp_path / "team", "owner", "TEAM-TAG-002", """\
        deny contains "no owner tag" if not input.resource.tags.owner
        """)
    with OpaEngine(url=opa_server.url) as engine:
        engine.prepare(load_policies([tmp_path / "team"]))
        ids_with = set(engine._client.get_policies_list())
        engine.prepare(load_policies())
        ids_without = set(engine._client.get_policies_list())
    team = {i for i in ids_with if i.endswith("/owner.rego")}
    assert team, "the team policy was uploaded"
    assert not team & ids_without, "and removed once the policy set no longer has it"


def test_a_policy_opa_cannot_compile_is_an_input_error_naming_the_file(opa_server, tmp_path):
    path = _write_policy(tmp_path / "team", "typo", "TEAM-TAG-003", """\
        deny contains msg if {
        	msg := no_such_function(input.resource.id)
        }
        """)
    ps = load_policies([tmp_path / "team"])
    with pytest.raises(InputError, match=r"typo\.rego:\d+"):
        with OpaEngine(url=opa_server.url) as engine:
            engine.prepare(ps)
    with pytest.raises(InputError, match=r"typo\.rego:\d+"):
        with OpaEngine() as engine:   # local mode: the file is loaded when OPA starts
            engine.prepare(ps)
    assert path.exists()


def test_local_mode_starts_opa_and_stops_it_on_close(opa_binary):
    engine = OpaEngine()
    engine.prepare(load_policies())
    engine.load_settings({"trusted_kms_keys": []})   # settings are data, set per scan
    server = engine._server
    assert server is not None and server._proc.poll() is None
    verdicts = engine.evaluate([EvalRequest(key="k", input=_notebook("k"), policy_ids=("MLW-ENC-001",))])
    assert verdicts[0].violations
    engine.close()
    assert server._proc is None


def test_scan_evaluation_with_engine_opa_reports_the_same_findings_as_wasm(opa_server):
    inv = Inventory(resources=[
        Resource(type="AWS::SageMaker::NotebookInstance", id=name, account="111122223333", region="eu-west-1",
                 arn=f"arn:aws:sagemaker:eu-west-1:111122223333:notebook-instance/{name}", properties=props)
        for name, props in [("plain", {}), ("sealed", {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k",
                                                        "DirectInternetAccess": "Disabled", "RootAccess": "Disabled"})]])
    docs = {engine: evaluate_inventory(inv, EvalOptions(engine=engine, opa_url=opa_server.url))
            for engine in ("wasm", "opa")}
    assert docs["opa"].scan["engine"] == "opa"

    def outcome(doc):
        return sorted((f.policy_id, f.resource["id"], f.status.value, f.message) for f in doc.findings)
    assert outcome(docs["opa"]) == outcome(docs["wasm"])
    enc = {f.resource["id"]: f.status for f in docs["opa"].findings if f.policy_id == "MLW-ENC-001"}
    assert enc == {"plain": Status.FAIL, "sealed": Status.PASS}


def test_missing_binary_and_bad_urls_are_input_errors(monkeypatch):
    monkeypatch.setenv("MLWARDEN_OPA", "/nonexistent/opa")
    assert find_opa_binary() is None
    with pytest.raises(InputError, match="MLWARDEN_OPA"):
        OpaServer()
    with pytest.raises(InputError, match="--opa-url"):
        OpaEngine(url="ftp://example").prepare(load_policies())
    with pytest.raises(InputError, match="--opa-url: no healthy OPA server"):
        OpaEngine(url="http://127.0.0.1:9").prepare(load_policies())   # port 9: nothing listens


def test_cli_evaluate_with_engine_opa(opa_server, tmp_path):
    from click.testing import CliRunner
    from mlwarden.cli import main
    inv = Inventory(resources=[Resource(type="AWS::SageMaker::NotebookInstance", id="plain", account="111122223333",
                                        region="eu-west-1", arn="arn:aws:sagemaker:eu-west-1:111122223333:notebook-instance/plain")])
    inv.save(tmp_path / "inventory.json")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "inventory.json"), "--engine", "opa",
                                       "--opa-url", opa_server.url, "--out", str(tmp_path / "out"),
                                       "--format", "json", "--fail-on", "critical"])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert doc["scan"]["engine"] == "opa"
    assert any(f["policy_id"] == "MLW-ENC-001" and f["status"] == "FAIL" for f in doc["findings"])
