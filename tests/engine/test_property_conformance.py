"""Property: the default engine and native OPA give the same verdict on any estate.

Thousands of adversarial resources (tests/engine/adversarial.py: every type the shipped
policies judge, mutated with non-ASCII, NUL, escapes, extreme numbers, odd timestamps,
IAM documents in every shape, case-duplicate tags) under three settings files are
written to inventory.json text, read back as `mlwarden evaluate` reads it, and
judged end to end through `evaluate()` by both engines. For every (policy, resource)
the status and the set of messages must be identical (an ERROR's wording is the
engine's own, so only its status is compared).

On a disagreement the test shrinks the resource to a minimal document that still makes
the engines disagree and prints it, with the seed and settings to replay it:

    MLWARDEN_CONFORMANCE_SEED=<seed> pytest tests/engine/test_property_conformance.py

MLWARDEN_CONFORMANCE_ENGINE names the engine held to OPA (default: wasm, the
default engine).
"""
from __future__ import annotations

import json
import os
import time

import pytest

from mlwarden.api import make_engine
from mlwarden import jsonload
from mlwarden.errors import InputError
from mlwarden.evaluate import evaluate
from mlwarden.inventory import Inventory
from mlwarden.model import Resource
from mlwarden.policy.library import load_policies

from ..support import synthetic
from . import adversarial

SEED = int(os.environ.get("MLWARDEN_CONFORMANCE_SEED", "20261201"))
CANDIDATE = os.environ.get("MLWARDEN_CONFORMANCE_ENGINE", "wasm")
PER_SETTINGS = 1750          # resources per settings variant: 5,250 per run
MAX_SHRINK_TRIALS = 300      # evaluations spent minimising one disagreement


@pytest.fixture(scope="module")
def policy_set():
    return load_policies()


@pytest.fixture(scope="module")
def engines(policy_set, opa_binary):
    try:
        candidate = make_engine(CANDIDATE)
    except InputError as exc:
        pytest.skip(f"engine {CANDIDATE!r} is not available: {exc}")
    reference = make_engine("opa")
    with candidate, reference:
        candidate.prepare(policy_set)
        reference.prepare(policy_set)
        yield candidate, reference


def _outcomes(findings) -> dict[tuple, tuple]:
    out = {}
    for f in findings:
        key = (f.policy_id, f.resource["type"], f.resource.get("arn") or "", f.resource["id"])
        assert key not in out, f"two findings for {key}"
        out[key] = (f.status.value,) if f.status.value == "ERROR" else (f.status.value, f.message)
    return out


def _differences(a: dict, b: dict) -> list[tuple]:
    assert a.keys() == b.keys(), "the engines judged different (policy, resource) pairs"
    return [k for k in sorted(a, key=repr) if a[k] != b[k]]


def _as_read_back(inv: Inventory) -> Inventory:
    """The inventory as `mlwarden evaluate` reads it back from inventory.json."""
    return Inventory.from_dict(jsonload.loads(json.dumps(inv.to_dict()), "inventory.json"))


def _judge(inv: Inventory, policy_set, engines, settings) -> tuple[dict, dict]:
    candidate, reference = engines
    inv = _as_read_back(inv)
    return (_outcomes(evaluate(inv, policy_set, candidate, settings).findings),
            _outcomes(evaluate(inv, policy_set, reference, settings).findings))


# --- shrinking a disagreement to a minimal resource ------------------------------------

def _simpler(node):
    """Every value one step simpler than node: a key or element dropped, a string
    emptied or halved, a number zeroed, or the same inside a child."""
    if isinstance(node, dict):
        for k in list(node):
            yield {kk: v for kk, v in node.items() if kk != k}
        for k, v in node.items():
            for s in _simpler(v):
                yield {**node, k: s}
    elif isinstance(node, list):
        for i in range(len(node)):
            yield node[:i] + node[i + 1:]
        for i, v in enumerate(node):
            for s in _simpler(v):
                yield node[:i] + [s] + node[i + 1:]
    elif isinstance(node, str) and node:
        yield ""
        if len(node) > 1:
            yield node[:len(node) // 2]
            yield node[len(node) // 2:]
    elif isinstance(node, (int, float)) and not isinstance(node, bool) and node != 0:
        yield 0


def _shrink(doc: dict, policy_id: str, targets: list[Resource], policy_set, engines, settings) -> tuple:
    """Greedy minimisation of the resource document while `policy_id` still differs."""
    def differs(d: dict):
        r = Resource.from_dict(d)
        inv = Inventory(resources=[*targets, r], accounts=[r.account], regions=[r.region])
        a, b = _judge(inv, policy_set, engines, settings)
        key = (policy_id, r.type, r.arn or "", r.id)
        if key in a and key in b and a[key] != b[key]:
            return a[key], b[key]
        return None

    seen = differs(doc)
    if seen is None:
        return doc, None   # only together with the rest of the estate: printed whole
    trials, progress = 0, True
    while progress and trials < MAX_SHRINK_TRIALS:
        progress = False
        for field in ("properties", "facts", "tags", "id"):
            for smaller in _simpler(doc[field]):
                if field == "id" and not smaller:
                    continue   # a resource needs an id
                trials += 1
                found = differs({**doc, field: smaller})
                if found:
                    doc, seen, progress = {**doc, field: smaller}, found, True
                    break
                if trials >= MAX_SHRINK_TRIALS:
                    break
            if progress or trials >= MAX_SHRINK_TRIALS:
                break
    return doc, seen


def _report(diffs, a, b, inv, policy_set, engines, settings, variant) -> str:
    targets = inv.resources[:sum(len(v) for v in synthetic.RELATED_IDS.values())]
    lines = [f"{len(diffs)} verdicts differ between {CANDIDATE} and native OPA "
             f"(seed {SEED}, settings {variant!r}):"]
    by_key = {(r.type, r.arn or "", r.id): r for r in inv.resources}
    for key in diffs[:3]:
        pid, rtype, arn, rid = key
        doc, seen = _shrink(by_key[(rtype, arn, rid)].to_dict(), pid, targets, policy_set, engines, settings)
        got = seen or (a[key], b[key])
        lines += [f"- {pid} on {rtype} {rid!a}", f"    {CANDIDATE}: {got[0]!a}", f"    opa:  {got[1]!a}",
                  "    minimal resource: " + json.dumps({k: doc[k] for k in ("type", "id", "arn", "tags",
                                                                             "properties", "facts")},
                                                       ensure_ascii=True, default=str)]
    lines += [f"- {k[0]} on {k[1]} {k[3]!a}: {a[k]!a} / {b[k]!a}" for k in diffs[3:30]]
    return "\n".join(lines)


# --- the property ---------------------------------------------------------------------

@pytest.mark.parametrize("variant", sorted(adversarial.SETTINGS_VARIANTS))
def test_engines_agree_on_an_adversarial_estate(variant, policy_set, engines):
    seed = SEED + sorted(adversarial.SETTINGS_VARIANTS).index(variant)
    inv = adversarial.inventory(PER_SETTINGS, seed=seed)
    assert len(inv.resources) >= PER_SETTINGS
    missing = policy_set.types - {r.type for r in inv.resources}
    assert not missing, f"the generator makes no {sorted(missing)}: describe them in tests/support/synthetic.py"
    settings = adversarial.settings(variant)
    started = time.monotonic()
    a, b = _judge(inv, policy_set, engines, settings)
    elapsed = time.monotonic() - started
    assert len(a) >= 3 * PER_SETTINGS, "too few verdicts: most resources were not judged"
    diffs = _differences(a, b)
    assert not diffs, _report(diffs, a, b, inv, policy_set, engines, settings, variant)
    print(f"{variant}: {len(inv.resources)} resources, {len(a)} verdicts, both engines {elapsed:.1f} s")


def test_the_estate_is_adversarial():
    """The generator keeps producing the input classes that broke engines before."""
    inv = adversarial.inventory(PER_SETTINGS, seed=SEED)
    text = json.dumps([r.to_dict() for r in inv.resources], ensure_ascii=False)
    for needle, what in [("\\u0000", "NUL"), ("\u0131", "dotless i"), ("\uff45", "fullwidth letter"),
                         ("Create\\\\*", "backslash in an action"), ("18446744073709551616", "2^64"),
                         ("1e+308", "1e308"), ("5e-324", "denormal float"), ("-0.0", "negative zero"),
                         ("NotAction", "NotAction"), ("23:59:60", "leap second"), ("\\\"Steps\\\"", "JSON in a string")]:
        assert needle in text, f"no {what} in the generated estate"
    assert any(isinstance(r.properties.get("AssumeRolePolicyDocument", {}).get("Statement"), dict)
               for r in inv.resources), "no trust policy with a single Statement object"
    assert any(len({k.lower() for k in r.tags}) < len(r.tags) for r in inv.resources), "no case-duplicate tags"
