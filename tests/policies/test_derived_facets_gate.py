"""A derived facet that no derivation produced blocks the policies that read it.

Twice a source left a derived facet unset (event scans had no `ml_estate`) and the
policies reading it judged values nobody computed, passing. Generated over every shipped
policy × every derived facet it declares on every type it judges: a resource without
that facet is NOT_ASSESSED by that policy, naming the facet and "not derived for this
source", and is judged once the facet is there; a source for which the derivation
declares it does not apply (`not_derived` in scanner/derivations.py) is judged without it.
"""
from __future__ import annotations

import pytest

from mlwarden import settings as settings_mod
from mlwarden.derivations import DERIVATIONS, IAC, not_derived_by_design
from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.evaluate import evaluate
from mlwarden.facet_catalogue import catalogue, derived_facet_names
from mlwarden.inventory import Inventory
from mlwarden.model import READ, Resource, SourceLocation, Status
from mlwarden.policy.library import load_policies

ACCOUNT, REGION = "111122223333", "eu-west-1"
PROD_TAGS = {"owner": "ml", "project": "p", "cost-center": "cc-1", "environment": "prod"}
POLICIES = load_policies()


def _cases() -> list[tuple[str, str, str]]:
    """(policy id, resource type, derived facet) for every derived facet a policy declares."""
    return [(p.id, t, f) for p in POLICIES.policies for t in p.metadata.resource_types
            for f in sorted(derived_facet_names(t) & set(p.metadata.facets or ()))]


CASES = _cases()


def _resource(policy_id: str, type_: str, without: str | None, kind: str = "live") -> Resource:
    """A production resource of `type_` whose every facet was read, except `without`,
    which is absent (no derivation produced it)."""
    rid = f"{policy_id}-{type_.split('::')[-1]}-{without or 'all'}-{kind}".lower()
    return Resource(type=type_, id=rid, arn=f"arn:aws:test:{REGION}:{ACCOUNT}:{rid}", account=ACCOUNT,
                    region=REGION, tags=dict(PROD_TAGS), source=SourceLocation(kind=kind),
                    facets={name: READ for name in catalogue()[type_] if name != without})


@pytest.fixture(scope="module")
def judged():
    """(policy, resource id) → finding, for every case with and without its facet, judged
    by the shipped library as a scan judges (one inventory, the Wasm engine)."""
    resources = [_resource(pid, t, f) for pid, t, f in CASES] + [_resource(pid, t, None) for pid, t, _ in CASES]
    engine = WasmEngine(workers=1)
    engine.prepare(POLICIES)
    try:
        doc = evaluate(Inventory(resources=resources, accounts=[ACCOUNT], regions=[REGION]), POLICIES, engine,
                       settings_mod.defaults())
    finally:
        engine.close()
    return {(f.policy_id, f.resource["id"]): f for f in doc.findings}


def test_the_cases_cover_every_declared_derived_facet():
    # The cases are generated: they must exist, and name the bug's facet among others.
    assert len(CASES) >= 20
    assert ("MLW-TAG-001", "AWS::S3::Bucket", "ml_estate") in CASES
    assert {f for _, _, f in CASES} >= {"ml_estate", "lineage", "drift_response", "job_definition", "provenance"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_a_declared_derived_facet_that_is_absent_makes_the_policy_not_assessed(judged, case):
    policy_id, type_, facet = case
    f = judged.get((policy_id, _resource(policy_id, type_, facet).id))
    assert f is not None, f"{policy_id} gave no finding on a {type_} without {facet}"
    assert f.status == Status.NOT_ASSESSED, f"{policy_id} judged a {type_} without {facet}: {f.status}"
    assert f"facet '{facet}'" in f.message and "not derived for this source (live)" in f.message, f.message
    assert f.evidence["facet"]["name"] == facet
    # With the facet derived, the same resource is judged (or not applicable): not blocked by it.
    other = judged.get((policy_id, _resource(policy_id, type_, None).id))
    assert other is None or "not derived" not in other.message, other.message


def test_every_derived_facet_is_filled_by_exactly_one_derivation():
    derived = {name for t in catalogue() for name in derived_facet_names(t)}
    filled = [name for d in DERIVATIONS for name in d.facets]
    assert sorted(set(filled)) == sorted(derived), "derived facets no derivation declares, or declared by none"
    assert len(filled) == len(set(filled)), "a derived facet declared by two derivations"


def test_a_derivation_that_does_not_apply_to_a_source_says_so_and_only_there():
    by_design = {(name, source) for d in DERIVATIONS for source in d.not_derived for name in d.facets}
    assert by_design == {("ml_usage", IAC), ("provenance", IAC)}
    for kind in ("cloudformation", "terraform", "pipeline"):
        assert not_derived_by_design("provenance", kind)
        assert not not_derived_by_design("ml_estate", kind)   # derived for templates too
    for kind in ("live", "inventory", "no-such-source"):
        assert not not_derived_by_design("provenance", kind)


def test_a_template_resource_is_judged_without_a_facet_its_derivation_does_not_apply_to():
    """MLW-GOV-001 on a template's notebook: provenance is not derived for templates, by
    design, and the policy does not apply to them; a live notebook without it is blocked."""
    engine = WasmEngine(workers=1)
    engine.prepare(POLICIES)
    template = _resource("MLW-GOV-001", "AWS::SageMaker::NotebookInstance", "provenance", kind="cloudformation")
    live = _resource("MLW-GOV-001", "AWS::SageMaker::NotebookInstance", "provenance")
    dq = _resource("MLW-MON-014", "AWS::SageMaker::Endpoint", "drift_response", kind="terraform")
    try:
        doc = evaluate(Inventory(resources=[template, live, dq], accounts=[ACCOUNT], regions=[REGION]),
                       POLICIES, engine, settings_mod.defaults())
    finally:
        engine.close()
    by = {(f.policy_id, f.resource["id"]): f for f in doc.findings}
    assert ("MLW-GOV-001", template.id) not in by            # judged: not applicable before launch
    assert by[("MLW-GOV-001", live.id)].status == Status.NOT_ASSESSED
    # drift_response is derived for templates too: a template endpoint without it is blocked.
    blocked = by[("MLW-MON-014", dq.id)]
    assert blocked.status == Status.NOT_ASSESSED and "not derived for this source (terraform)" in blocked.message
