"""The default engine, OPA compiled to WebAssembly: verdicts, isolation of a failing
policy or resource, limits, the sandbox, and the module shipped in the package."""
from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.engine.base import EvalRequest
from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.errors import InputError
from mlwarden.inventory import Inventory
from mlwarden.model import Resource, Status
from mlwarden.policy.library import load_policies

HEADER = """\
# METADATA
# title: {title}
# description: test policy
# custom:
#   id: {pid}
#   severity: high
#   category: tagging
#   resource_types: [MLW::Test::Thing]
package custom.{pkg}

import rego.v1

"""


def _policy(d: Path, pkg: str, pid: str, body: str) -> Path:
    path = d / f"{pkg}.rego"
    path.write_text(HEADER.format(title=pkg, pid=pid, pkg=pkg) + textwrap.dedent(body))
    return path


def _thing(rid: str, properties: dict | None = None, **tags) -> Resource:
    return Resource(type="MLW::Test::Thing", id=rid, arn=f"arn:aws:test:eu-west-1:1:thing/{rid}",
                    account="1", region="eu-west-1", tags=tags, properties=properties or {"n": "12"})


def _run(tmp_path, resources, **opts):
    doc = evaluate_inventory(Inventory(resources=resources),
                             EvalOptions(policy_dirs=(tmp_path,), workers=1, **opts))
    return {(f.policy_id, f.resource["id"]): f for f in doc.findings if f.policy_id.startswith("CUS-")}


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """Custom policy modules compile into a cache of this test session, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


def test_hostile_strings_come_back_exactly_and_do_not_stop_the_scan(tmp_path):
    _policy(tmp_path, "echo", "CUS-TAG-001", """\
        deny contains msg if {
        \tmsg := concat("", ["owner is <", input.resource.tags.owner, ">"])
        }
        """)
    hostile = 'a"b\\c\nd\x01 \x00 "quoted" </script> producción PRODUCCIÓN 🚀'
    found = _run(tmp_path, [_thing("x", owner=hostile), _thing("y", owner="plain")])
    assert found[("CUS-TAG-001", "x")].message == f"owner is <{hostile}>"
    assert found[("CUS-TAG-001", "y")].message == "owner is <plain>"


def test_settings_reach_policies_as_data_with_non_ascii_values_intact(tmp_path):
    _policy(tmp_path, "env", "CUS-TAG-006", """\
        import data.mlwarden.lib.util

        deny contains "not production" if not util.is_production
        """)
    settings = tmp_path.parent / "settings.yaml"
    settings.write_text("production: {tag: entorno, values: [producción]}\n")
    found = _run(tmp_path, [_thing("p", entorno="PRODUCCIÓN"), _thing("d", entorno="desarrollo")],
                 settings_file=settings)
    assert found[("CUS-TAG-006", "p")].status == Status.PASS
    assert found[("CUS-TAG-006", "d")].status == Status.FAIL


def test_a_failing_policy_is_an_error_for_that_policy_and_resource_only(tmp_path):
    # format_int of an integer beyond 64 bits aborts OPA's Wasm runtime ("strings: get
    # uint failed"): the abort must stay with this policy and this resource.
    _policy(tmp_path, "broken", "CUS-TAG-002", """\
        deny contains msg if {
        \tmsg := concat("", ["n is ", format_int(input.resource.properties.n, 10)])
        }
        """)
    _policy(tmp_path, "fine", "CUS-TAG-003", """\
        deny contains "no owner" if not input.resource.tags.owner
        """)
    # The Wasm runtime itself (custom policies go to native OPA by default, which formats it).
    engine = WasmEngine(workers=1, native_for_custom=False)
    engine.prepare(load_policies([tmp_path], include_shipped=False))
    engine.load_settings({})
    docs = {rid: {"resource": {"type": "MLW::Test::Thing", "id": rid, "tags": {"owner": "o"},
                               "properties": {"n": n}}} for rid, n in (("x", 2 ** 70), ("y", 12))}
    ids = ("CUS-TAG-002", "CUS-TAG-003")
    found = {(v.policy_id, v.key): v for v in engine.evaluate(
        [EvalRequest(key=rid, input=doc, policy_ids=ids) for rid, doc in docs.items()])}
    assert "get uint failed" in found[("CUS-TAG-002", "x")].error
    assert found[("CUS-TAG-003", "x")].error is None and found[("CUS-TAG-003", "x")].violations == []
    assert [v["msg"] for v in found[("CUS-TAG-002", "y")].violations] == ["n is 12"]
    native = _run(tmp_path, [_thing("x", properties={"n": 2 ** 70}, owner="o")])
    assert native[("CUS-TAG-002", "x")].message == f"n is {2 ** 70}"


def test_applies_false_means_no_finding(tmp_path):
    _policy(tmp_path, "prodonly", "CUS-TAG-004", """\
        applies if input.resource.tags.environment == "prod"

        deny contains "bad" if true
        """)
    found = _run(tmp_path, [_thing("dev", environment="dev"), _thing("prod", environment="prod")])
    assert ("CUS-TAG-004", "dev") not in found
    assert found[("CUS-TAG-004", "prod")].status == Status.FAIL


def test_a_policy_that_does_not_parse_is_refused_with_file_and_line(tmp_path):
    _policy(tmp_path, "syntax", "CUS-TAG-005", """\
        deny contains msg if {
        \tmsg := concat("", [
        }
        """)
    with pytest.raises(InputError) as err:
        _run(tmp_path, [_thing("x")])
    assert "syntax.rego:" in str(err.value)


@pytest.mark.parametrize("call, line", [
    ('opa.runtime().env.AWS_SECRET_ACCESS_KEY', 14),
    ('http.send({"method": "get", "url": "http://127.0.0.1:1"}).body', 14),
    ('net.lookup_ip_addr("example.com")', 14),
])
@pytest.mark.parametrize("engine", ["wasm", "opa"])
def test_a_custom_policy_calling_a_disallowed_builtin_is_refused_on_both_engines(tmp_path, call, line, engine):
    _policy(tmp_path, "leak", "CUS-SEC-001", f"""\
        deny contains msg if {{
        \tmsg := sprintf("%v", [{call}])
        }}
        """)
    with pytest.raises(InputError) as err:
        _run(tmp_path, [_thing("x")], engine=engine)
    assert f"leak.rego:{line}:" in str(err.value)
    assert call.split("(")[0] in str(err.value)


def _engine_for(tmp_path, body: str, **kw) -> WasmEngine:
    _policy(tmp_path, "heavy", "CUS-LIM-001", body)
    engine = WasmEngine(workers=1, native_for_custom=False, **kw)   # the Wasm runtime under test
    engine.prepare(load_policies([tmp_path], include_shipped=False))
    engine.load_settings({})
    return engine


def _doc(rid: str, **props) -> dict:
    return {"resource": {"type": "MLW::Test::Thing", "id": rid, "properties": props}}


def test_an_evaluation_past_its_deadline_is_an_error_and_the_next_resource_is_judged(tmp_path):
    engine = _engine_for(tmp_path, """\
        deny contains "slow" if {
        \tinput.resource.properties.slow
        \tcount([x | some x in numbers.range(1, 200000000); x % 7 == 0]) > 0
        }

        deny contains "fast" if not input.resource.properties.slow
        """, deadline=0.3)
    verdicts = engine.evaluate([EvalRequest(key="slow", input=_doc("slow", slow=True), policy_ids=("CUS-LIM-001",)),
                                EvalRequest(key="fast", input=_doc("fast"), policy_ids=("CUS-LIM-001",))])
    by_key = {v.key: v for v in verdicts}
    assert by_key["slow"].error and ("deadline" in by_key["slow"].error or "memory" in by_key["slow"].error)
    assert by_key["fast"].error is None and [v["msg"] for v in by_key["fast"].violations] == ["fast"]


def test_an_evaluation_past_the_memory_cap_is_an_error_and_the_engine_recovers(tmp_path):
    engine = _engine_for(tmp_path, """\
        deny contains "big" if {
        \tinput.resource.properties.big
        \tcount(concat("", [s | some _ in numbers.range(1, 4000000); s := "xxxxxxxxxxxxxxxx"])) > 0
        }

        deny contains "small" if not input.resource.properties.big
        """, memory_limit=32 << 20, deadline=20)
    verdicts = engine.evaluate([EvalRequest(key="big", input=_doc("big", big=True), policy_ids=("CUS-LIM-001",)),
                                EvalRequest(key="small", input=_doc("small"), policy_ids=("CUS-LIM-001",))])
    by_key = {v.key: v for v in verdicts}
    assert by_key["big"].error
    assert by_key["small"].error is None and [v["msg"] for v in by_key["small"].violations] == ["small"]


def test_values_that_are_not_json_are_errors_for_their_resource_only(tmp_path):
    engine = _engine_for(tmp_path, """\
        deny contains "has n" if input.resource.properties.n
        """)
    verdicts = engine.evaluate([
        EvalRequest(key="nan", input=_doc("nan", n=math.nan), policy_ids=("CUS-LIM-001",)),
        EvalRequest(key="surrogate", input=_doc("surrogate", n="\ud800"), policy_ids=("CUS-LIM-001",)),
        EvalRequest(key="huge", input=_doc("huge", n=2 ** 70), policy_ids=("CUS-LIM-001",)),
        EvalRequest(key="ok", input=_doc("ok", n=1), policy_ids=("CUS-LIM-001",)),
    ])
    by_key = {v.key: v for v in verdicts}
    assert "not a JSON value" in by_key["nan"].error
    assert "not a JSON value" in by_key["surrogate"].error
    assert by_key["huge"].error is None and by_key["huge"].violations
    assert by_key["ok"].error is None and by_key["ok"].violations


def test_two_workers_give_the_same_findings_as_one(tmp_path):
    from mlwarden.engine import wasm_engine
    _policy(tmp_path, "echo", "CUS-TAG-001", """\
        deny contains msg if {
        \tnot input.resource.tags.owner
        \tmsg := concat("", [input.resource.id, " has no owner"])
        }
        """)
    things = [_thing(f"t{i}", **({"owner": "o"} if i % 3 else {}))
              for i in range(wasm_engine.PARALLEL_THRESHOLD + 10)]
    one = evaluate_inventory(Inventory(resources=things), EvalOptions(policy_dirs=(tmp_path,), workers=1))
    two = evaluate_inventory(Inventory(resources=things), EvalOptions(policy_dirs=(tmp_path,), workers=2))
    as_set = lambda doc: {(f.policy_id, f.resource["id"], f.status, f.message) for f in doc.findings}
    assert as_set(one) == as_set(two)
    assert sum(1 for f in one.findings if f.policy_id == "CUS-TAG-001" and f.status == Status.FAIL) \
        == len(range(0, len(things), 3))


def test_custom_policies_without_opa_are_refused_in_one_line(tmp_path, monkeypatch):
    _policy(tmp_path, "fine", "CUS-TAG-003", 'deny contains "x" if false\n')
    monkeypatch.setenv("MLWARDEN_OPA", str(tmp_path / "no-such-opa"))
    with pytest.raises(InputError) as err:
        _run(tmp_path, [_thing("x")])
    assert "MLWARDEN_OPA" in str(err.value) and "\n" not in str(err.value)


def test_the_shipped_library_needs_no_opa_binary(monkeypatch, tmp_path):
    monkeypatch.setenv("MLWARDEN_OPA", str(tmp_path / "no-such-opa"))
    doc = evaluate_inventory(Inventory(resources=[Resource(
        type="AWS::SageMaker::NotebookInstance", id="nb", arn="arn:aws:sagemaker:eu-west-1:1:notebook-instance/nb",
        account="1", region="eu-west-1", properties={"DirectInternetAccess": "Enabled"})]), EvalOptions())
    assert doc.scan["engine"] == "wasm"
    statuses = {f.policy_id: f.status for f in doc.findings}
    assert statuses["MLW-ENC-001"] == Status.FAIL and Status.ERROR not in statuses.values()


def test_a_custom_policy_whose_builtin_fails_is_an_error_not_a_pass(tmp_path):
    """OPA's Wasm ABI makes a failing builtin undefined, so a deny rule built on it would
    not fire and the resource would PASS. Custom policies are judged by native OPA with
    strict builtin errors; the shipped library stays in Wasm, with the same findings."""
    _policy(tmp_path, "size", "CUS-LIM-002", """\
        deny contains "over 10" if to_number(input.resource.properties.size) > 10
        """)
    things = [_thing("unit", {"size": "12 GB"}), _thing("big", {"size": "20"}), _thing("small", {"size": "5"}),
              _thing("accent", {"size": "producción"})]
    notebook = Resource(type="AWS::SageMaker::NotebookInstance", id="nb",
                        arn="arn:aws:sagemaker:eu-west-1:1:notebook-instance/nb", account="1", region="eu-west-1",
                        properties={"DirectInternetAccess": "Enabled"})
    both = evaluate_inventory(Inventory(resources=[*things, notebook]),
                              EvalOptions(policy_dirs=(tmp_path,), workers=1))
    assert both.scan["engine"] == "wasm"
    status = {(f.policy_id, f.resource["id"]): f.status for f in both.findings}
    assert status[("CUS-LIM-002", "unit")] == Status.ERROR
    assert status[("CUS-LIM-002", "accent")] == Status.ERROR
    assert status[("CUS-LIM-002", "big")] == Status.FAIL
    assert status[("CUS-LIM-002", "small")] == Status.PASS
    shipped_only = evaluate_inventory(Inventory(resources=[notebook]), EvalOptions(workers=1))
    as_set = lambda doc: {(f.policy_id, f.status, f.message) for f in doc.findings if f.resource["id"] == "nb"}
    assert as_set(both) == as_set(shipped_only) and ("MLW-ENC-001", Status.FAIL) in {
        (p, s) for p, s, _ in as_set(both)}
