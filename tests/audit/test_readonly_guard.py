"""The read-only guard is an allow-list: exactly the actions `mlwarden permissions`
prints (derived from the collectors), refused otherwise before anything is sent.

The clients point at 127.0.0.1:9 (discard; nothing listens): a call the guard let
through would fail to connect, so WriteRefused proves the call never left."""
from __future__ import annotations

import botocore.session
import pytest
from botocore.exceptions import EndpointConnectionError

from mlwarden.aws.readonly import Guard, WriteRefused, iam_action, is_read_operation
from mlwarden.aws.session import AwsContext, AwsOptions
from mlwarden.collectors.base import registry
from mlwarden.permissions import guard_actions, scan_options, scanner_actions, scanner_policy

from ..conftest import REGION

NOWHERE = "http://127.0.0.1:9"
ROLE = "mlwarden-scan"

# Services whose clients a scan creates: each collector's, those its extra reads reach
# (S3 Control, Application Auto Scaling, CloudFormation for provisioned products' stacks),
# and the scan's own (STS, Organizations).
SCANNED_SERVICES = tuple(sorted({s.service for s in registry().values()} | {
    "s3control", "application-autoscaling", "sts", "organizations", "resourcegroupstaggingapi",
    "cloudformation"}))

# Reads that are not harmless: they start work, mint credentials, return secrets or are billed.
RISKY_READS = [
    ("sagemaker", "get_scaling_configuration_recommendation", {"InferenceRecommendationsJobName": "j"}),
    ("sts", "assume_role", {"RoleArn": "arn:aws:iam::123456789012:role/Admin", "RoleSessionName": "s"}),
    ("sts", "assume_role", {"RoleArn": f"arn:aws:iam::123456789012:role/{ROLE}-admin", "RoleSessionName": "s"}),
    ("sts", "get_session_token", {}),
    ("secretsmanager", "get_secret_value", {"SecretId": "prod/db"}),
    ("redshift", "get_cluster_credentials", {"DbUser": "admin", "ClusterIdentifier": "c", "AutoCreate": True}),
    ("ce", "get_cost_and_usage", {"TimePeriod": {"Start": "2026-01-01", "End": "2026-02-01"},
                                  "Granularity": "DAILY", "Metrics": ["BlendedCost"]}),
    ("s3", "select_object_content", {"Bucket": "b", "Key": "k", "Expression": "select * from s3object",
                                     "ExpressionType": "SQL", "InputSerialization": {"CSV": {}},
                                     "OutputSerialization": {"CSV": {}}}),
]


def _org_context() -> AwsContext:
    return AwsContext(options=scan_options(endpoint_url=NOWHERE, max_attempts=1, assume_role_name=ROLE))


def test_a_read_only_context_without_an_allow_list_cannot_be_made():
    # The context does not derive the allow-list itself (that would tie the AWS layer
    # to the collectors' registry): its creator hands it in, or there is no context.
    with pytest.raises(ValueError, match="needs its allow-list"):
        AwsContext(options=AwsOptions(endpoint_url=NOWHERE))
    # An empty allow-list is a choice: every call is refused before it is sent.
    empty = AwsContext(options=AwsOptions(endpoint_url=NOWHERE, allow_list=frozenset()))
    with pytest.raises(WriteRefused, match="sts:GetCallerIdentity"):
        empty.client("sts", REGION).get_caller_identity()
    # A context that writes has no guard, so it needs none.
    assert not AwsContext(options=AwsOptions(read_only=False)).options.allow_list


def test_the_allow_list_is_what_mlwarden_permissions_prints():
    policy = scanner_policy()
    printed = {a for s in policy["Statement"] for a in s["Action"]}
    assert printed == set(scanner_actions())
    # What the scanner sends itself; kms:Decrypt is there only for S3 reading SSE-KMS artefacts.
    sent = {a for s in policy["Statement"] if "Condition" not in s for a in s["Action"]}
    assert AwsContext(options=scan_options()).guard().actions == frozenset(sent)
    assert [s["Condition"] for s in policy["Statement"] if "kms:Decrypt" in s["Action"]] == [
        {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}]
    org = scanner_policy(ROLE)
    org_sent = {a for s in org["Statement"] if "Condition" not in s for a in s["Action"]}
    assert _org_context().guard().actions == frozenset(org_sent) == frozenset(guard_actions(ROLE))
    assume = [s for s in org["Statement"] if "sts:AssumeRole" in s["Action"]]
    assert assume == [{"Sid": "MlwardenAssumeScanRole", "Effect": "Allow", "Action": ["sts:AssumeRole"],
                       "Resource": f"arn:aws:iam::*:role/{ROLE}"}]


def test_every_operation_of_the_scanned_services_is_allowed_exactly_when_listed():
    guard = _org_context().guard()
    session = botocore.session.get_session()
    reached = set()
    for service in SCANNED_SERVICES:
        for op in session.get_service_model(service).operation_names:
            action = iam_action(service, op)
            params = {"RoleArn": f"arn:aws:iam::123456789012:role/{ROLE}"} if action == "sts:AssumeRole" else {}
            if action in guard.actions:
                guard.check(service, op, params)
                reached.add(action)
            else:
                with pytest.raises(WriteRefused):
                    guard.check(service, op, params)
    # Every listed action is the name of a real call of these services (no typo, no dead entry).
    assert reached == set(guard.actions)
    assert all(is_read_operation(a.split(":", 1)[1]) or a == "sts:AssumeRole" for a in guard.actions)


@pytest.mark.parametrize("service,method,params", RISKY_READS,
                         ids=[f"{s}:{m}" for s, m, _ in RISKY_READS])
def test_risky_reads_are_refused_before_they_are_sent(service, method, params):
    client = _org_context().client(service, REGION)
    with pytest.raises(WriteRefused, match="refused"):
        getattr(client, method)(**params)


def test_the_configured_role_and_declared_reads_go_through():
    ctx = _org_context()
    # Let through: the only failure is that nothing listens at the endpoint.
    with pytest.raises(EndpointConnectionError):
        ctx.client("sts", REGION).assume_role(RoleArn=f"arn:aws:iam::210987654321:role/{ROLE}",
                                              RoleSessionName="mlwarden-scan")
    with pytest.raises(EndpointConnectionError):
        ctx.client("sagemaker", REGION).list_notebook_instances()
    # Without a role name (a one-account scan) no AssumeRole at all.
    plain = AwsContext(options=scan_options(endpoint_url=NOWHERE, max_attempts=1))
    with pytest.raises(WriteRefused):
        plain.client("sts", REGION).assume_role(RoleArn=f"arn:aws:iam::210987654321:role/{ROLE}",
                                                RoleSessionName="s")


def test_permissions_never_include_billed_or_credential_minting_actions():
    for action in guard_actions(ROLE):
        service, name = action.split(":", 1)
        assert service not in {"ce", "pricing", "secretsmanager", "redshift", "athena"}, action
        assert not any(w in name for w in ("Credentials", "SessionToken", "FederationToken", "SecretValue",
                                          "Recommendation", "Select")), action
        if service == "sts":
            assert name in {"GetCallerIdentity", "AssumeRole"}, action
    assert "sts:AssumeRole" not in scanner_actions()
    # Reading SSE-KMS artefacts needs kms:Decrypt; the scanner never calls it directly.
    assert "kms:Decrypt" in scanner_actions()
    with pytest.raises(WriteRefused):
        AwsContext(options=scan_options(endpoint_url=NOWHERE)).client("kms", REGION).decrypt(CiphertextBlob=b"x")


def test_a_mutating_call_is_refused_too():
    with pytest.raises(WriteRefused):
        AwsContext(options=scan_options(endpoint_url=NOWHERE)).client("sagemaker", REGION).delete_model(
            ModelName="m")
    guard = Guard(actions=frozenset({"sagemaker:ListModels"}))
    with pytest.raises(WriteRefused, match="sagemaker:CreateModel"):
        guard.check("sagemaker", "CreateModel")
