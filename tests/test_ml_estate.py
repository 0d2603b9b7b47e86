"""The `ml_estate` facet: buckets, keys and roles outside the ML estate only when that is known."""
from __future__ import annotations

from mlwarden.inventory import Inventory
from mlwarden.ml_estate import mark_ml_estate
from mlwarden.model import CoverageGap, Resource, Status

ROLE_ARN = "arn:aws:iam::1:role/exec"


def _estate(*gaps: CoverageGap) -> Inventory:
    tags = {"owner": "ml"}   # missing the other required tags
    return Inventory(accounts=["1"], regions=["eu-west-1"], gaps=list(gaps), resources=[
        Resource(type="AWS::IAM::Role", id="exec", arn=ROLE_ARN, account="1", region="global", tags=tags),
        Resource(type="AWS::S3::Bucket", id="web-logs", arn="arn:aws:s3:::web-logs", account="1",
                 region="eu-west-1", tags=tags),
        Resource(type="AWS::SageMaker::Model", id="scorer", arn="arn:aws:sagemaker:eu-west-1:1:model/scorer",
                 account="1", region="eu-west-1", relations={"role": [ROLE_ARN]}),
    ])


DENIED = CoverageGap(resource_type="MLW::SageMaker::TrainingJob", account="1", region="eu-west-1",
                     operation="sagemaker:ListTrainingJobs", error_code="AccessDenied", message="denied")


def test_unreferenced_is_known_when_every_ml_type_was_read():
    inv = _estate()
    mark_ml_estate(inv)
    role, logs = inv.resources[0], inv.resources[1]
    assert role.facts["ml_referenced_by"] == ["arn:aws:sagemaker:eu-west-1:1:model/scorer"]
    assert role.facet("ml_estate").read and logs.facet("ml_estate").read
    assert "ml_referenced_by" not in logs.facts


def test_unreferenced_is_unknown_when_an_ml_read_failed_and_the_tag_rule_says_so():
    from mlwarden.api import EvalOptions, evaluate_inventory
    inv = _estate(DENIED)
    mark_ml_estate(inv)
    role, logs = inv.resources[0], inv.resources[1]
    assert role.facet("ml_estate").read   # referenced by what was read: known
    status = logs.facet("ml_estate")
    assert (status.read, status.operation, status.error_code) == (False, "sagemaker:ListTrainingJobs",
                                                                   "AccessDenied")
    tag = {f.resource["id"]: f for f in evaluate_inventory(inv, EvalOptions()).findings
           if f.policy_id == "MLW-TAG-001"}
    assert tag["exec"].status == Status.FAIL and "project" in tag["exec"].message
    assert tag["web-logs"].status == Status.NOT_ASSESSED
    assert "facet 'ml_estate'" in tag["web-logs"].message and "sagemaker:ListTrainingJobs" in tag["web-logs"].message


def test_ml_types_not_collected_leave_it_unknown_and_marking_again_recovers():
    inv = _estate()
    mark_ml_estate(inv, {"AWS::S3::Bucket", "AWS::IAM::Role"})
    assert "not collected" in inv.resources[1].facet("ml_estate").reason
    mark_ml_estate(inv)   # idempotent: an organisation scan marks again after merging
    assert inv.resources[1].facet("ml_estate").read
