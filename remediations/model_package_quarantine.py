"""Quarantine a model package: approval status to Rejected (or back to
PendingManualApproval, settings remediation.quarantine_status), with the reason in
ApprovalDescription. Deployment pipelines that deploy only Approved packages stop
picking it up; nothing is deleted."""
from __future__ import annotations

from .base import Call, PlanRefused, Runbook, Target, register

ALLOWED = ("Rejected", "PendingManualApproval")


def read_state(t: Target) -> dict:
    p = t.client("sagemaker").describe_model_package(ModelPackageName=t.arn or t.id)
    return {"ModelPackageArn": p["ModelPackageArn"], "ModelApprovalStatus": p.get("ModelApprovalStatus"),
            "ApprovalDescription": p.get("ApprovalDescription")}


def target_status(t: Target) -> str:
    status = t.setting("quarantine_status") or "Rejected"
    if status not in ALLOWED:
        raise PlanRefused(f"settings remediation.quarantine_status must be one of {', '.join(ALLOWED)}, "
                          f"not {status!r}")
    return status


def changes(state: dict, t: Target) -> list[Call]:
    wanted = target_status(t)
    if state["ModelApprovalStatus"] == "PendingManualApproval":
        wanted = "Rejected"  # stale, or pending with a bad signature: back to pending changes nothing
    if state["ModelApprovalStatus"] in (wanted, "Rejected"):
        return []
    reasons = "; ".join(f"{f.policy_id}: {f.message}" for f in t.findings)
    return [Call(service="sagemaker", operation="UpdateModelPackage", note=f"quarantine: {wanted}",
                 params={"ModelPackageArn": state["ModelPackageArn"], "ModelApprovalStatus": wanted,
                         "ApprovalDescription": f"Quarantined by mlwarden: {reasons}"[:1024]})]


register(Runbook(
    id="model-package-quarantine", title="Quarantine the model package (approval withdrawn, reason recorded)",
    policies=("MLW-INT-002", "MLW-INT-003", "MLW-INT-004", "MLW-REG-001", "MLW-REG-005"), resource_types=("AWS::SageMaker::ModelPackage",),
    permissions=("sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage"),
    read_state=read_state, changes=changes,
    valid_origin_states=("Approved", "PendingManualApproval"), origin=lambda s: s["ModelApprovalStatus"] or "",
))
