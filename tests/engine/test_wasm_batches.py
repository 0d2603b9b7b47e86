"""Batched evaluation (many resources per Wasm call) changes no finding: the same
verdicts, messages and evidence as one call per resource, and a resource that breaks
its batch is still an ERROR for its failing policy only."""
from __future__ import annotations

import copy
import math
import textwrap

import pytest

from mlwarden.api import EvalOptions, load_everything
from mlwarden.engine.base import EvalRequest
from mlwarden.engine.wasm_engine import BATCH_SIZE, WasmEngine
from mlwarden.evaluate import evaluate
from mlwarden.model import Status
from mlwarden.policy.library import load_policies

from ..support import synthetic


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """Custom policy modules compile into a cache of this test session, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


def _findings(inv, batch_size: int) -> list[dict]:
    policy_set, settings, waivers = load_everything(EvalOptions())
    with WasmEngine(workers=1, batch_size=batch_size) as engine:
        engine.prepare(policy_set)
        doc = evaluate(copy.deepcopy(inv), policy_set, engine, settings, waivers=waivers)
    return [f.to_dict() for f in doc.findings]


def test_the_shipped_library_gives_the_same_findings_batched_and_one_by_one():
    inv = synthetic.inventory(3 * BATCH_SIZE + 40, seed=11)
    # A document that is not JSON in the middle of a batch: an ERROR for that resource
    # only, and its neighbours are judged as usual.
    judged = load_everything(EvalOptions())[0].types
    middle = len(inv.resources) // 2
    # the first resource from the middle on that some policy judges (not an account document)
    poisoned = next(r for r in inv.resources[middle:] if r.type in judged and not r.type.startswith("MLW::"))
    poisoned.properties["Odd"] = math.nan
    batched, single = _findings(inv, BATCH_SIZE), _findings(inv, 1)
    assert batched == single
    statuses = {f["status"] for f in batched}
    assert {Status.PASS.value, Status.FAIL.value} <= statuses
    errors = [f for f in batched if f["status"] == Status.ERROR.value]
    assert errors and {f["resource"]["id"] for f in errors} == {poisoned.id}
    assert all("not a JSON value" in f["message"] for f in errors)


HEADER = """\
# METADATA
# title: {pkg}
# description: test policy
# custom:
#   id: {pid}
#   severity: high
#   category: tagging
#   resource_types: [MLW::Test::Thing]
package custom.{pkg}

import rego.v1

"""


def test_a_resource_that_breaks_its_batch_is_an_error_for_its_failing_policy_only(tmp_path):
    # CUS-LIM-001 runs out of memory on the poison resource; CUS-TAG-001 never fails.
    (tmp_path / "big.rego").write_text(HEADER.format(pkg="big", pid="CUS-LIM-001") + textwrap.dedent("""\
        deny contains "big" if {
        \tinput.resource.properties.big
        \tcount(concat("", [s | some _ in numbers.range(1, 4000000); s := "xxxxxxxxxxxxxxxx"])) > 0
        }

        deny contains concat(" ", [input.resource.id, "is small"]) if not input.resource.properties.big
        """))
    (tmp_path / "owner.rego").write_text(HEADER.format(pkg="owner", pid="CUS-TAG-001") + textwrap.dedent("""\
        deny contains concat(" ", [input.resource.id, "has no owner"]) if not input.resource.tags.owner
        """))
    policies = load_policies([tmp_path], include_shipped=False)
    ids = tuple(p.id for p in policies.for_type("MLW::Test::Thing"))
    requests = [EvalRequest(key=f"t{i}", policy_ids=ids, input={"resource": {
        "type": "MLW::Test::Thing", "id": f"t{i}", "tags": {"owner": "o"} if i % 2 else {},
        "properties": {"big": i == 70}}}) for i in range(150)]

    def verdicts(batch_size: int) -> list[tuple]:
        with WasmEngine(workers=1, batch_size=batch_size, memory_limit=32 << 20, deadline=20,
                        native_for_custom=False) as engine:   # the Wasm runtime under test
            engine.prepare(policies)
            engine.load_settings({})
            return [(v.key, v.policy_id, v.applicable, v.violations, bool(v.error))
                    for v in engine.evaluate(requests)]

    batched = verdicts(64)
    assert batched == verdicts(1)
    failed = [(key, pid) for key, pid, _, _, error in batched if error]
    assert failed == [("t70", "CUS-LIM-001")]
    by = {(key, pid): violations for key, pid, _, violations, _ in batched}
    assert by[("t70", "CUS-TAG-001")] == [{"msg": "t70 has no owner"}]
    assert by[("t71", "CUS-LIM-001")] == [{"msg": "t71 is small"}]
