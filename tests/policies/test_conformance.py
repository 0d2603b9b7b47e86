"""Both engines give the same verdicts: every shipped policy, every fixture.

OPA is the reference; OPA compiled to WebAssembly (the Wasm engine) is what the
scanner runs by default. For each (policy, resource) the status — error, not
applicable, pass, fail — and the set of violations (message and attribute path) must
match exactly; every violation of a shipped policy names its path.

The inputs: the fixture corpus in tests/fixtures/conformance/*.json (generated
variants per resource type — compliant, non-compliant, absent, null and empty
fields — under the shipped and a strict settings file; regenerate with
`python -m tests.support.synthetic`, add hand-written edge cases as other .json
files in the same shape), and every resource of a seeded synthetic inventory,
judged end to end through `evaluate()` with its relations resolved.
"""
from __future__ import annotations

from tests.support.outcomes import outcome

import json
from pathlib import Path

import pytest

from mlwarden import settings as settings_mod
from mlwarden.engine.base import EvalRequest, Verdict
from mlwarden.engine.opa_engine import OpaEngine
from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.evaluate import evaluate
from mlwarden.policy.library import load_policies

from ..support import synthetic

FIXTURES = sorted(synthetic.FIXTURE_DIR.glob("*.json"))


def _settings(variant: str) -> dict:
    base = settings_mod.defaults()
    # Only settings this version knows (the variant may name ones a policy reads but
    # the shipped defaults do not define yet).
    wanted = {k: v for k, v in synthetic.SETTINGS_VARIANTS[variant].items() if k in base}
    return settings_mod.merge(base, wanted, "conformance", "")


@pytest.fixture(scope="module")
def policy_set():
    return load_policies()


@pytest.fixture(scope="module")
def engines(policy_set, opa_server):
    wasm = WasmEngine(workers=1)
    wasm.prepare(policy_set)
    opa = OpaEngine(url=opa_server.url)
    opa.prepare(policy_set)
    yield wasm, opa
    opa.close()
    wasm.close()


def _fixture_requests(policy_set) -> dict[str, list[EvalRequest]]:
    """The fixture requests by settings variant (settings are data: one load per variant)."""
    requests: dict[str, list[EvalRequest]] = {}
    for path in FIXTURES:
        doc = json.loads(path.read_text())
        for case in doc["cases"]:
            inp = dict(case["input"])
            inp.pop("settings", None)
            rtype = inp["resource"]["type"]
            ids = tuple(p.id for p in policy_set.for_type(rtype))
            if ids:
                requests.setdefault(case.get("settings", "defaults"), []).append(
                    EvalRequest(key=f"{path.name}#{case['name']}", input=inp, policy_ids=ids))
    return requests


def _judge(engine, by_variant: dict[str, list[EvalRequest]]) -> list[Verdict]:
    out = []
    for variant, requests in by_variant.items():
        engine.load_settings(_settings(variant))
        out.extend(engine.evaluate(requests))
    return out


_outcome = outcome


def _differences(a: list[Verdict], b: list[Verdict]) -> list[str]:
    left = {(v.policy_id, v.key): _outcome(v) for v in a}
    right = {(v.policy_id, v.key): _outcome(v) for v in b}
    assert left.keys() == right.keys(), "the engines judged different (policy, resource) pairs"
    return [f"{pid} on {key}:\n    wasm: {left[(pid, key)]}\n    opa:  {right[(pid, key)]}"
            for pid, key in sorted(left) if left[(pid, key)] != right[(pid, key)]]


def test_fixture_corpus_covers_every_declared_resource_type(policy_set):
    covered = {c["input"]["resource"]["type"] for p in FIXTURES for c in json.loads(p.read_text())["cases"]}
    missing = sorted(policy_set.types - covered)
    assert not missing, (f"no conformance fixtures for {missing}: describe the type in "
                         "tests/support/synthetic.py and run `python -m tests.support.synthetic`")


def test_both_engines_agree_on_every_fixture(policy_set, engines):
    wasm, opa = engines
    requests = _fixture_requests(policy_set)
    assert sum(map(len, requests.values())) >= 150
    diffs = _differences(_judge(wasm, requests), _judge(opa, requests))
    assert not diffs, f"{len(diffs)} verdicts differ between the engines:\n" + "\n".join(diffs[:40])


def test_no_policy_errors_on_the_fixtures(policy_set, engines):
    """An ERROR on a well-formed fixture (absent, null or empty fields included) is a
    policy bug, judged on the reference engine. Wrong-typed fields may be an ERROR."""
    _, opa = engines
    tolerant = tuple(f"#{name}/" for name in synthetic.ERROR_TOLERANT_VARIANTS)
    errors = [f"{v.policy_id} on {v.key}: {v.error}" for v in _judge(opa, _fixture_requests(policy_set))
              if v.error and not any(t in v.key for t in tolerant)]
    assert not errors, "\n".join(errors[:30])


def test_both_engines_agree_on_a_synthetic_inventory(policy_set, engines):
    wasm, opa = engines
    inv = synthetic.inventory(20 * len(synthetic.SPECS), seed=11)
    settings = _settings("strict")
    docs = [evaluate(inv, policy_set, engine, settings) for engine in (wasm, opa)]

    def outcomes(doc):
        return {(f.policy_id, f.resource.get("arn") or f.resource["id"]): (f.status.value, f.message,
                                                                          repr(f.violations))
                for f in doc.findings}
    a, b = outcomes(docs[0]), outcomes(docs[1])
    assert a.keys() == b.keys()
    assert len(a) >= 600
    diffs = [f"{k}: wasm {a[k]} / opa {b[k]}" for k in sorted(a) if a[k] != b[k]]
    assert not diffs, f"{len(diffs)} findings differ:\n" + "\n".join(diffs[:40])


def test_every_violation_of_a_shipped_policy_names_its_attribute_path(policy_set, engines):
    """The rule contract (policies/lib/util.rego `violation`): a violation without a path
    cannot point a template finding at its line; a policy that gives one is incomplete."""
    _, opa = engines
    pathless = sorted({f"{v.policy_id}: {x['msg']}" for v in _judge(opa, _fixture_requests(policy_set))
                       for x in v.violations if "path" not in x})
    assert not pathless, f"{len(pathless)} violations without a path:\n" + "\n".join(pathless[:30])


def test_fixtures_make_every_policy_both_pass_and_fail(policy_set, engines):
    """Conformance on a policy proves little if the fixtures never make it fail (or pass)."""
    _, opa = engines
    seen: dict[str, set] = {p.id: set() for p in policy_set.policies}
    for v in _judge(opa, _fixture_requests(policy_set)):
        seen[v.policy_id].add(_outcome(v)[0])
    for f in evaluate(synthetic.inventory(20 * len(synthetic.SPECS), seed=11), policy_set, opa, _settings("strict")).findings:
        seen[f.policy_id].add(f.status.value)
    weak = sorted(pid for pid, s in seen.items() if not {"PASS", "FAIL"} <= s)
    assert not weak, ("the conformance fixtures never make these policies both PASS and FAIL "
                      f"(extend tests/support/synthetic.py): {', '.join(weak)}")
