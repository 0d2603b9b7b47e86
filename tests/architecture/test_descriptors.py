"""One lint over every resource-type descriptor (scanner/resource_type.py).

Each registered type is checked against what the rest of mlwarden derives from it:
its CloudFormation name is real (cfn-lint's provider schemas) or an `MLW::` name, its
Terraform names come back to it through the Terraform loader, its CloudTrail events are
claimed by no other type, its relations point at registered types and mean one type per
name, it is readable from IaC or says why not, its permissions are reads, and every type
a shipped policy judges is registered. `problems()` is the lint; the tests below run it
on the registry and on broken descriptors, so each check is shown to catch its mistake.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

from mlwarden.aws.readonly import is_read_operation
from mlwarden.aws_defaults import AwsDefault
from mlwarden.collectors.base import CollectorSpec, ListCall, Shape
from mlwarden.iac import pipeline, terraform_types as terraform
from mlwarden.permissions import ON_BEHALF
from mlwarden.policy.library import load_policies
from mlwarden.resource_type import CloudTrailEvent, Relation, ResourceType, TerraformType, role
from mlwarden.type_registry import event_source, resource_types

CFN_TYPES = frozenset(PROVIDER_SCHEMA_MANAGER.get_resource_types("us-east-1"))
EVENT_PATH_ROOTS = ("requestParameters.", "responseElements.")


def problems(types: dict[str, ResourceType]) -> list[str]:
    """Every way the descriptors disagree with each other or with AWS; [] when none."""
    out: list[str] = []
    tf_owner: dict[str, list[str]] = defaultdict(list)
    event_owner: dict[str, list[str]] = defaultdict(list)
    relation_target: dict[str, set[str]] = defaultdict(set)
    counters: dict[str, list[str]] = defaultdict(list)
    step_types = {rtype for rtype, _, _ in pipeline.STEP_TYPES.values()}
    for name, d in types.items():
        if name != d.type:
            out.append(f"{name}: registered under another name than its type {d.type}")
        if not name.startswith("MLW::") and name not in CFN_TYPES:
            out.append(f"{name}: not a CloudFormation type (cfn-lint's schemas); use MLW::<Service>::<Thing>")
        for t in d.terraform:
            tf_owner[t.name].append(name)
        for e in d.events:
            event_owner[e.name].append(name)
            if not e.paths or not all(p.startswith(EVENT_PATH_ROOTS) for p in e.paths):
                out.append(f"{name}: event {e.name} needs paths under {' or '.join(EVENT_PATH_ROOTS)}")
            if not event_source(d, e).endswith(".amazonaws.com") or event_source(d, e).startswith("."):
                out.append(f"{name}: event {e.name} has no event source (declare source=)")
        for r in d.relations:
            relation_target[r.name].add(r.target)
            if r.target not in types:
                out.append(f"{name}: relation {r.name} points at {r.target}, which is not registered")
        if d.usage_counter:
            counters[d.usage_counter].append(name)
        iac = name in CFN_TYPES or bool(d.terraform) or name in step_types
        if iac == bool(d.live_only):
            out.append(f"{name}: " + ("read from IaC, yet declared live_only" if iac else
                                      "no template, plan or pipeline declares it: say why in live_only"))
        for p in d.defaults:
            if not p.reference or not p.path:
                out.append(f"{name}: default {p.path or '?'} needs a path and the AWS reference documenting it")
        for action in getattr(d, "permissions", ()):
            if not is_read_operation(action.split(":", 1)[1]) and action not in ON_BEHALF:
                out.append(f"{name}: permission {action} is not a read")
    for tf, owners in tf_owner.items():
        if len(owners) > 1:
            out.append(f"Terraform type {tf} declared by {', '.join(owners)}")
    loader = terraform.types()
    for tf, owners in tf_owner.items():
        if tf in terraform.ATTACHMENT_TYPES or loader.get(tf) is None or loader[tf].cfn_type != owners[0]:
            out.append(f"Terraform type {tf} does not load as {owners[0]}")
    for tf in terraform.BUILDERS:
        if tf not in tf_owner:
            out.append(f"Terraform builder {tf} belongs to no descriptor")
    out += [f"CloudTrail event {e} claimed by {', '.join(o)}" for e, o in event_owner.items() if len(o) > 1]
    out += [f"relation {r} points at {', '.join(sorted(t))}: one name, one target type"
            for r, t in relation_target.items() if len(t) > 1]
    out += [f"usage counter {c} counts {', '.join(o)}" for c, o in counters.items() if len(o) > 1]
    return out


def test_every_registered_descriptor_passes_the_lint():
    assert problems(resource_types()) == []


def test_every_registered_type_is_documented_in_the_resource_model():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "resource-model.md").read_text()
    # A row may name siblings of one family short: `…::ModelQualityJobDefinition`.
    undocumented = sorted(t for t in resource_types()
                          if f"`{t}`" not in doc and f"`…::{t.rsplit('::', 1)[-1]}`" not in doc)
    assert not undocumented, f"add a row to docs/resource-model.md for: {undocumented}"


def test_every_type_a_shipped_policy_judges_is_registered():
    missing = load_policies().types - set(resource_types())
    assert not missing, f"policies judge types no descriptor declares: {sorted(missing)}"


def _spec(**kw) -> CollectorSpec:
    base = dict(type="AWS::SageMaker::App", service="sagemaker", iam_prefix="sagemaker",
                list_call=ListCall(operation="ListApps", result_key="Apps"),
                normalise=lambda d, s: Shape(id="x", arn="x", properties={}))
    return CollectorSpec(**{**base, **kw})


@pytest.mark.parametrize("bad, expected", [
    (_spec(type="AWS::SageMaker::Notebook"), "not a CloudFormation type"),
    (_spec(type="MLW::SageMaker::App"), "say why in live_only"),
    (_spec(live_only="computed"), "declared live_only"),
    (_spec(relations=(Relation(name="role", target="AWS::IAM::User"),)), "not registered"),
    (_spec(relations=(Relation(name="role", target="AWS::KMS::Key"),)), "one name, one target type"),
    (_spec(events=(CloudTrailEvent(name="CreateApp", paths=("appName",)),)), "needs paths under"),
    (_spec(events=(CloudTrailEvent(name="CreateEndpoint", paths=("requestParameters.endpointName",)),)),
     "claimed by"),
    (_spec(terraform=(TerraformType(name="aws_sagemaker_model"),)), "Terraform type aws_sagemaker_model"),
    (_spec(terraform=(TerraformType(name="aws_sagemaker_app"),)), "does not load as"),
    (_spec(extra_permissions=("sagemaker:DeleteApp",)), "not a read"),
    (_spec(usage_counter="models"), "usage counter models"),
    (_spec(defaults=(AwsDefault(path="AppType", value="JupyterServer", reference=""),)), "AWS reference"),
])
def test_the_lint_catches_each_kind_of_mistake(bad, expected):
    types = {**resource_types(), bad.type: bad}
    found = problems(types)
    assert any(expected in p for p in found), found


def test_a_sound_new_descriptor_passes():
    # What a new collector module declares for a type that is real and readable from IaC.
    good = _spec(relations=(role("ExecutionRoleArn"),),
                 events=(CloudTrailEvent(name="CreateApp", paths=("requestParameters.appName",)),))
    assert problems({**resource_types(), good.type: good}) == []
