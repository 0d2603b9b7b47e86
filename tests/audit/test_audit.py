"""The in-account audit: install/remove of the stack, the Lambda handler on real-shaped
events, fan-out by region, organisation scans, and the generated read-only policy."""
from __future__ import annotations

import io
import json
import zipfile

import boto3
import pytest

from mlwarden.audit.config import AuditConfig
from mlwarden.audit.handler import handler, plan_parts
from mlwarden.audit.install import StackNames, install, remove, status
from mlwarden.aws.session import AwsContext, AwsOptions
from mlwarden.permissions import scan_options

from ..conftest import ACCOUNT, REGION

SCHEDULED_EVENT = {
    "version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
    "source": "aws.events", "account": ACCOUNT, "time": "2026-11-27T06:00:00Z", "region": REGION,
    "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/mlwarden-audit-schedule"], "detail": {},
}


def cloudtrail_event(event_name: str, request: dict, response: dict | None = None) -> dict:
    """The shape EventBridge delivers for a CloudTrail management event."""
    return {
        "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "AWS API Call via CloudTrail", "source": "aws.sagemaker", "account": ACCOUNT,
        "time": "2026-11-27T10:15:00Z", "region": REGION, "resources": [],
        "detail": {
            "eventVersion": "1.08", "userIdentity": {"type": "AssumedRole", "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/ds/alice"},
            "eventTime": "2026-11-27T10:15:00Z", "eventSource": "sagemaker.amazonaws.com",
            "eventName": event_name, "awsRegion": REGION, "sourceIPAddress": "203.0.113.7",
            "requestParameters": request, "responseElements": response or {},
            "eventType": "AwsApiCall", "recipientAccountId": ACCOUNT,
        },
    }


@pytest.fixture
def audit_setup(aws):
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key(Description="reports")["KeyMetadata"]["Arn"]
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="audit-reports", CreateBucketConfiguration={"LocationConstraint": REGION})
    sns = boto3.client("sns", region_name=REGION)
    topic = sns.create_topic(Name="mlwarden-alerts")["TopicArn"]
    sqs = boto3.client("sqs", region_name=REGION)
    queue_url = sqs.create_queue(QueueName="alerts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    cfg = AuditConfig(bucket="audit-reports", kms_key=key, regions=(REGION,), topic_arn=topic)
    return cfg, queue_url


def _notebook(name: str, **extra):
    boto3.client("sagemaker", region_name=REGION).create_notebook_instance(
        NotebookInstanceName=name, InstanceType="ml.t3.medium",
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/nb-role", **extra)


def _keys(bucket: str) -> list[str]:
    s3 = boto3.client("s3", region_name=REGION)
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def _latest_findings() -> dict:
    """The findings document the audit last published (mlwarden/latest/findings.json)."""
    s3 = boto3.client("s3", region_name=REGION)
    return json.loads(s3.get_object(Bucket="audit-reports", Key="mlwarden/latest/findings.json")["Body"].read())


def _verdicts() -> set:
    """(policy, resource id, region, status) of every finding in the latest document."""
    return {(f["policy_id"], f["resource"]["id"], f["resource"]["region"], f["status"])
            for f in _latest_findings()["findings"]}


def test_install_creates_the_stack_and_remove_deletes_exactly_it(aws, audit_setup):
    cfg, _ = audit_setup
    writer = AwsContext(options=AwsOptions(read_only=False))
    names = StackNames(stack="mlw-test")
    res = install(writer, REGION, cfg, schedule="rate(1 day)", events=True, names=names)
    lam = boto3.client("lambda", region_name=REGION)
    fn = lam.get_function(FunctionName="mlw-test")["Configuration"]
    assert fn["Handler"] == "mlwarden.audit.handler.handler"
    assert fn["Environment"]["Variables"]["MLWARDEN_BUCKET"] == "audit-reports"
    iam = boto3.client("iam", region_name=REGION)
    policy = iam.get_role_policy(RoleName="mlw-test-role", PolicyName="mlwarden-audit")["PolicyDocument"]
    actions = next(s for s in policy["Statement"] if s["Sid"] == "ReadOnlyScan")["Action"]
    assert "sagemaker:DescribeNotebookInstance" in actions
    assert not [a for a in actions if a.split(":")[1].startswith(("Create", "Put", "Delete", "Update"))]
    events = boto3.client("events", region_name=REGION)
    assert events.describe_rule(Name="mlw-test-schedule")["ScheduleExpression"] == "rate(1 day)"
    pattern = json.loads(events.describe_rule(Name="mlw-test-events")["EventPattern"])
    assert "CreateEndpoint" in pattern["detail"]["eventName"]
    for rule in ("mlw-test-schedule", "mlw-test-events"):
        assert [t["Arn"] for t in events.list_targets_by_rule(Rule=rule)["Targets"]] == [res.function_arn]
    perm = json.loads(lam.get_policy(FunctionName="mlw-test")["Policy"])
    assert {s["Sid"] for s in perm["Statement"]} == {"mlw-test-schedule", "mlw-test-events"}
    # the package is a real, importable deployment package within Lambda's limits
    code = lam.get_function(FunctionName="mlw-test")["Configuration"]["CodeSize"]
    assert 0 < res.package_zipped == code < 50 * 1024 * 1024
    assert res.package_unzipped < 250 * 1024 * 1024

    # re-running install updates in place (no duplicates), and can drop the events rule
    install(writer, REGION, cfg, schedule="rate(12 hours)", events=False, names=names)
    assert events.describe_rule(Name="mlw-test-schedule")["ScheduleExpression"] == "rate(12 hours)"
    assert "mlw-test-events" not in [r["Name"] for r in events.list_rules()["Rules"]]
    st = status(AwsContext(options=scan_options()), REGION, names)
    assert st["function"]["bucket"] == "audit-reports" and [r["name"] for r in st["rules"]] == ["mlw-test-schedule"]

    # an unrelated rule and role survive remove
    events.put_rule(Name="someone-elses-rule", ScheduleExpression="rate(1 hour)")
    remove(writer, REGION, names)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName="mlw-test")
    assert [r["Name"] for r in events.list_rules()["Rules"]] == ["someone-elses-rule"]
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_role(RoleName="mlw-test-role")


def test_package_contains_handler_and_policies():
    from mlwarden.audit.package import build_package
    pkg = build_package()
    names = zipfile.ZipFile(io.BytesIO(pkg.data)).namelist()
    assert "mlwarden/audit/handler.py" in names
    assert any(n.startswith("mlwarden/policies/") and n.endswith(".rego") for n in names)
    assert not any(n.endswith("_test.rego") for n in names)
    assert any(n.startswith("wasmtime/") for n in names)          # the policy engine's runtime
    assert "mlwarden/engine/wasm/library.wasm" in names            # the compiled library
    assert "mlwarden/engine/capabilities.json" in names
    assert not any(n.startswith("regopy/") for n in names)
    # bundled: the runtime's own copy is updated on AWS's schedule, not pinned
    assert any(n.startswith("botocore/") for n in names)
    assert not any(n.startswith(("cfnlint/", "rich/")) for n in names)  # CLI-only


def test_scheduled_event_writes_encrypted_reports_and_notifies(aws, audit_setup):
    cfg, queue_url = audit_setup
    _notebook("open-nb")  # no KMS key: a high-severity failure
    out = handler(SCHEDULED_EVENT, None, config=cfg)
    assert out["status"] == "scanned"
    keys = _keys("audit-reports")
    dated = [k for k in keys if k.startswith("mlwarden/20") and k.endswith("/findings.json")]
    assert dated, keys
    for k in ("mlwarden/latest/report.html", "mlwarden/latest/findings.json", "mlwarden/latest/run.json"):
        assert k in keys
    s3 = boto3.client("s3", region_name=REGION)
    for k in keys:
        head = s3.head_object(Bucket="audit-reports", Key=k)
        assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == cfg.kms_key
    msgs = boto3.client("sqs", region_name=REGION).receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    body = json.loads(msgs["Messages"][0]["Body"])["Message"]
    assert "MLW-ENC-001" in body and "open-nb" in body

    # a second run with nothing new publishes nothing
    handler(SCHEDULED_EVENT, None, config=cfg)
    again = boto3.client("sqs", region_name=REGION).receive_message(QueueUrl=queue_url, WaitTimeSeconds=0)
    assert not again.get("Messages")


def test_cloudtrail_event_scans_only_the_touched_resource(aws, audit_setup):
    cfg, _ = audit_setup
    _notebook("touched")
    _notebook("bystander")
    event = cloudtrail_event("CreateNotebookInstance", {"notebookInstanceName": "touched",
                                                        "instanceType": "ml.t3.medium"},
                             {"notebookInstanceArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/touched"})
    out = handler(event, None, config=cfg)
    assert out["status"] == "scanned"
    key = next(k for k in _keys("audit-reports") if "event-CreateNotebookInstance" in k and k.endswith("findings.json"))
    doc = json.loads(boto3.client("s3", region_name=REGION).get_object(Bucket="audit-reports", Key=key)["Body"].read())
    ids = {f["resource"]["id"] for f in doc["findings"]}
    assert "touched" in ids and "bystander" not in ids
    assert doc["scan"]["trigger"]["event"] == "CreateNotebookInstance"
    # an event scan does not replace the full scan's latest/ report
    assert "mlwarden/latest/findings.json" not in _keys("audit-reports")


def test_unscanned_event_is_ignored(aws, audit_setup):
    cfg, _ = audit_setup
    out = handler(cloudtrail_event("ListEndpoints", {}), None, config=cfg)
    assert out["status"] == "ignored"


def test_multi_region_scan_fans_out_and_aggregates_once(aws, audit_setup):
    cfg, _ = audit_setup
    regions = (REGION, "us-east-1")
    _notebook("eu-nb")
    boto3.client("sagemaker", region_name="us-east-1").create_notebook_instance(
        NotebookInstanceName="us-nb", InstanceType="ml.t3.medium", RoleArn=f"arn:aws:iam::{ACCOUNT}:role/r")
    parts = plan_parts(regions, "run-1")
    assert [p["mlwarden"]["region"] for p in parts] == list(regions)
    first = handler(parts[0], None, config=cfg)
    assert first["status"] == "part-written"
    last = handler(parts[1], None, config=cfg)
    assert last["status"] == "aggregated"
    doc = _latest_findings()
    assert {f["resource"]["id"] for f in doc["findings"] if f["policy_id"] == "MLW-ENC-001"} == {"eu-nb", "us-nb"}
    # a late duplicate delivery of a part does not aggregate twice
    assert handler(parts[1], None, config=cfg)["status"] == "part-written"


def test_fanned_out_regions_read_global_types_once(aws, audit_setup):
    """IAM roles are global: read in the first region's part only, so each is judged
    once, not once per region."""
    cfg, _ = audit_setup
    boto3.client("iam").create_role(RoleName="ml-exec", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
            "Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    for part in plan_parts((REGION, "us-east-1"), "run-global"):
        handler(part, None, config=cfg)
    doc = _latest_findings()
    role = [(f["policy_id"], f["resource"]["id"]) for f in doc["findings"] if f["resource"]["id"] == "ml-exec"]
    assert role and len(role) == len(set(role))


def test_organization_scan_through_assumed_roles(aws):
    from mlwarden.api import collect_inventory
    member = "222222222222"
    sts = boto3.client("sts", region_name=REGION)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/mlwarden-scan", RoleSessionName="seed")["Credentials"]
    member_sm = boto3.client("sagemaker", region_name=REGION, aws_access_key_id=creds["AccessKeyId"],
                             aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    member_sm.create_notebook_instance(NotebookInstanceName="member-nb", InstanceType="ml.t3.medium",
                                       RoleArn=f"arn:aws:iam::{member}:role/r")
    _notebook("home-nb")
    inv = collect_inventory(scan_options(), [REGION], accounts=[ACCOUNT, member], role_name="mlwarden-scan")
    nbs = {(r.account, r.id) for r in inv.resources if r.type == "AWS::SageMaker::NotebookInstance"}
    assert nbs == {(ACCOUNT, "home-nb"), (member, "member-nb")}
    assert sorted(inv.accounts) == sorted([ACCOUNT, member])


def test_organization_scan_records_an_account_it_cannot_enter(aws, monkeypatch):
    from mlwarden.api import EvalOptions, collect_inventory, evaluate_inventory
    from mlwarden.model import Status
    from botocore.exceptions import ClientError
    import mlwarden.organization as org

    def deny(base, account, role_name, region):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized to assume"}}, "AssumeRole")
    monkeypatch.setattr(org, "assume", deny)  # AWS's answer for a role that does not trust us
    inv = collect_inventory(scan_options(), [REGION], accounts=["333333333333"], role_name="mlwarden-scan")
    assert inv.gaps and inv.gaps[0].account == "333333333333" and inv.gaps[0].error_code == "AccessDenied"
    doc = evaluate_inventory(inv, EvalOptions(workers=1))
    assert doc.findings and all(f.status == Status.NOT_ASSESSED for f in doc.findings)


def test_template_is_valid_cloudformation_with_state_machine():
    from mlwarden.audit.template import state_machine_definition, template
    doc = template()
    assert doc["Resources"]["AuditFunction"]["Properties"]["Handler"] == "mlwarden.audit.handler.handler"
    sm = state_machine_definition("arn:aws:lambda:eu-west-1:123456789012:function:mlwarden-audit")
    scan = sm["States"]["ScanAccounts"]
    assert scan["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    regions = scan["ItemProcessor"]["States"]["ScanRegions"]
    groups = regions["ItemProcessor"]["States"]["ScanTypeGroups"]
    assert (regions["Type"], groups["Type"], groups["ItemsPath"]) == ("Map", "Map", "$.groups")
    inner = groups["ItemSelector"]["mlwarden"]
    assert inner["action"] == "org-item" and inner["group.$"] == "$$.Map.Item.Value"
    # one item per (account, region, type group); one aggregation derives over them all
    from mlwarden.audit.handler import type_groups
    assert sm["States"]["PlanItems"]["Parameters"]["groups"] == list(range(len(type_groups())))
    aggregate = sm["States"]["Aggregate"]["Parameters"]["Payload"]["mlwarden"]
    assert (aggregate["action"], aggregate["derive"]) == ("org-aggregate", "aggregate")


def test_cfn_template_passes_cfn_lint(tmp_path):
    from cfnlint.api import lint_all  # cfn-lint is a dependency (the IaC loader uses it)

    from mlwarden.audit.template import template
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(template()))
    errors = [m for m in lint_all(path.read_text()) if str(m.rule.id).startswith("E")]
    assert not errors, [str(m) for m in errors]


def test_step_functions_items_aggregate_into_one_report(aws, audit_setup):
    cfg, _ = audit_setup
    _notebook("org-nb")
    item = {"mlwarden": {"action": "org-item", "account": ACCOUNT, "region": REGION,
                         "role_name": "mlwarden-scan", "run_id": "exec-1"}}
    assert handler(item, None, config=cfg)["status"] == "part-written"
    agg = handler({"mlwarden": {"action": "org-aggregate", "run_id": "exec-1", "accounts": [ACCOUNT],
                                "regions": [REGION]}}, None, config=cfg)
    assert agg["status"] == "aggregated"
    doc = _latest_findings()
    assert any(f["resource"]["id"] == "org-nb" for f in doc["findings"])


def test_targeted_scan_reads_one_role_bucket_and_key(aws):
    """Event-driven scans read just the touched IAM role, bucket or key, not the account's."""
    from mlwarden.pipeline import collect_targeted
    iam = boto3.client("iam", region_name=REGION)
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                               "Principal": {"Service": "sagemaker.amazonaws.com"}}]})
    touched = iam.create_role(RoleName="touched", Path="/ml/", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.create_role(RoleName="other", AssumeRolePolicyDocument=trust)
    s3 = boto3.client("s3", region_name=REGION)
    for b in ("touched-bucket", "other-bucket"):
        s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": REGION})
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/touched", TargetKeyId=key)
    kms.create_key()
    ctx = AwsContext(options=scan_options())
    for rtype, ident, want in [("AWS::IAM::Role", touched, "touched"),
                               ("AWS::S3::Bucket", "touched-bucket", "touched-bucket"),
                               ("AWS::KMS::Key", "alias/touched", key)]:
        inv = collect_targeted(ctx, rtype, ident, REGION)
        assert [r.id for r in inv.resources] == [want], rtype
        assert not inv.gaps
    role = collect_targeted(ctx, "AWS::IAM::Role", touched, REGION).resources[0]
    assert role.facts["actions"] is not None and role.arn == touched
    key_doc = collect_targeted(ctx, "AWS::KMS::Key", "alias/touched", REGION).resources[0]
    assert key_doc.facts["aliases"] == ["alias/touched"]


def test_fanned_out_parts_judge_global_resources_once_and_link_them_across_regions(aws, audit_setup):
    """Buckets and roles are global: every regional part reads them. The report judges
    each once, and a bucket an ML resource of another region's part uses is in the ML
    estate (MLW-TAG-001 judges it), never skipped because its own part saw no user."""
    cfg, _ = audit_setup
    regions = (REGION, "us-east-1")
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="us-training-output", CreateBucketConfiguration={"LocationConstraint": REGION})
    boto3.client("sagemaker", region_name="us-east-1").create_training_job(
        TrainingJobName="us-job", RoleArn=f"arn:aws:iam::{ACCOUNT}:role/train-role",
        AlgorithmSpecification={"TrainingImage": "123.dkr.ecr.us-east-1.amazonaws.com/x:1",
                                "TrainingInputMode": "File"},
        OutputDataConfig={"S3OutputPath": "s3://us-training-output/out"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600})
    parts = plan_parts(regions, "run-global")
    handler(parts[0], None, config=cfg)
    assert handler(parts[1], None, config=cfg)["status"] == "aggregated"
    doc = _latest_findings()
    per_policy: dict[str, list[str]] = {}
    for f in doc["findings"]:
        if f["resource"]["id"] == "us-training-output":
            per_policy.setdefault(f["policy_id"], []).append(f["status"])
    assert per_policy, "the bucket was not judged"
    assert all(len(v) == 1 for v in per_policy.values()), per_policy   # one verdict per policy
    assert per_policy.get("MLW-TAG-001") == ["FAIL"], per_policy       # untagged, used by us-job


def test_an_event_on_a_bucket_never_concludes_it_is_outside_the_ml_estate(aws, audit_setup):
    """An event scan reads the bucket it names and lists nothing else, so whether an ML
    resource uses it is unknown: MLW-TAG-001 is NOT_ASSESSED naming why, never silently
    left out as if no ML resource used the bucket."""
    cfg, _ = audit_setup
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="touched-bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
    event = cloudtrail_event("PutBucketTagging", {"bucketName": "touched-bucket"})
    event["source"], event["detail"]["eventSource"] = "aws.s3", "s3.amazonaws.com"
    assert handler(event, None, config=cfg)["status"] == "scanned"
    key = next(k for k in _keys("audit-reports") if "event-PutBucketTagging" in k and k.endswith("findings.json"))
    doc = json.loads(s3.get_object(Bucket="audit-reports", Key=key)["Body"].read())
    tag = [f for f in doc["findings"] if f["policy_id"] == "MLW-TAG-001" and f["resource"]["id"] == "touched-bucket"]
    assert [f["status"] for f in tag] == ["NOT_ASSESSED"], tag
    assert "not collected" in tag[0]["message"], tag[0]["message"]


def test_a_scan_split_by_region_and_type_judges_as_one_scan_does(aws, audit_setup):
    """A large estate's scheduled scan, one invocation per region and group of types
    (the model registry, the rest of SageMaker, the rest), aggregated and derived once,
    gives every finding an unsplit scan gives: derived facts (lineage, VPCs hosting ML
    work, ML estate, quota usage) see every type. Global types are read once."""
    from mlwarden.audit.handler import type_groups
    from mlwarden.demo.estate import seed
    cfg, _ = audit_setup
    seed(None, (REGION,))
    assert handler({"mlwarden": {"action": "scan"}}, None, config=cfg)["status"] == "scanned"
    whole = _verdicts()
    regions = (REGION, "us-east-1")
    parts = plan_parts(regions, "run-types", type_groups())
    assert len(parts) == 6 and len({p["mlwarden"]["name"] for p in parts}) == 6
    # IAM roles and S3 buckets are global: read by the first region's parts only
    later = [t for p in parts if p["mlwarden"]["region"] == "us-east-1" for t in p["mlwarden"]["types"]]
    assert "AWS::IAM::Role" not in later and "AWS::S3::Bucket" not in later
    results = [handler(p, None, config=cfg)["status"] for p in parts]
    assert results == ["part-written"] * 5 + ["aggregated"]
    split = _verdicts()
    assert {f for f in split if f[2] != "us-east-1"} == whole
    assert any(f[0] == "MLW-REG-003" for f in whole)   # lineage-derived verdicts are among them
    # what `schedule install --split-by-type` sets on the function, read back by the handler
    import dataclasses
    assert AuditConfig.from_env(dataclasses.replace(cfg, split_by_type=True).to_env()).split_by_type
    assert not AuditConfig.from_env(cfg.to_env()).split_by_type


def test_step_functions_items_split_by_region_and_type_judge_as_one_scan_does(aws, audit_setup):
    """The organisation state machine's items, one per account × region × type group
    (as its Map states make them), each collected through the assumed role and derived
    nothing, aggregated and derived once: the findings of one whole scan. Global types
    are read by the first region's items only."""
    from mlwarden.audit.handler import org_item_types, type_groups
    from mlwarden.demo.estate import seed
    cfg, _ = audit_setup
    seed(None, (REGION,))
    assert handler({"mlwarden": {"action": "scan"}}, None, config=cfg)["status"] == "scanned"
    whole = _verdicts()
    regions = [REGION, "us-east-1"]
    assert "AWS::IAM::Role" not in {t for g in range(3) for t in org_item_types(g, "us-east-1", regions)}
    statuses = [handler({"mlwarden": {"action": "org-item", "account": ACCOUNT, "region": region, "regions": regions,
                                      "group": group, "role_name": "mlwarden-scan", "run_id": "exec-types"}},
                        None, config=cfg)["status"]
                for region in regions for group in range(len(type_groups()))]
    assert set(statuses) <= {"part-written", "empty"} and statuses.count("part-written") >= 4
    agg = handler({"mlwarden": {"action": "org-aggregate", "run_id": "exec-types", "accounts": [ACCOUNT],
                                "regions": regions, "derive": "aggregate"}}, None, config=cfg)
    assert agg["status"] == "aggregated"
    split = _verdicts()
    assert {f for f in split if f[2] != "us-east-1"} == whole
    assert any(f[0] == "MLW-REG-003" for f in whole)   # lineage-derived verdicts are among them


def test_a_large_estate_is_split_by_type_automatically(aws):
    """Whether a scheduled scan splits by type is counted: SageMaker Search pages of
    packages, jobs, endpoints and models, stopped at the threshold (a few calls)."""
    from mlwarden.audit.split import split_by_type
    from mlwarden.demo import moto_extensions
    moto_extensions.install()
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model_package_group(ModelPackageGroupName="g")
    spec = {"Containers": [{"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1"}],
            "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]}
    for _ in range(130):
        sm.create_model_package(ModelPackageGroupName="g", InferenceSpecification=spec)
    reader = AwsContext(options=scan_options())
    searches = []
    reader.client("sagemaker", REGION).meta.events.register(
        "before-call.sagemaker.Search", lambda **kw: searches.append(1))
    assert split_by_type(False, 120, reader, [REGION])
    assert len(searches) == 2          # two pages of 100 reach 120: nothing more is read
    assert not split_by_type(False, 1000, reader, [REGION])
    assert not split_by_type(False, 0, reader, [REGION]) and split_by_type(True, 0, reader, [REGION])
    # the setting, as the function's environment carries it
    cfg = AuditConfig(bucket="b", kms_key="k", regions=(REGION,), split_threshold=250)
    assert AuditConfig.from_env(cfg.to_env()).split_threshold == 250
    assert AuditConfig.from_env({"MLWARDEN_BUCKET": "b", "MLWARDEN_KMS_KEY": "k"}).split_threshold == 1000
    from mlwarden.errors import InputError
    with pytest.raises(InputError, match="SPLIT_THRESHOLD"):
        AuditConfig.from_env({"MLWARDEN_BUCKET": "b", "MLWARDEN_KMS_KEY": "k", "MLWARDEN_SPLIT_THRESHOLD": "many"})



def test_a_scheduled_event_on_a_large_estate_fans_out_and_the_parts_aggregate_once(aws, audit_setup):
    """The whole automatic path: a real-shaped EventBridge schedule event reaches
    `handler`, which counts the estate (audit/split.py) against a low split_threshold,
    splits the scan by type and invokes itself once per part (Lambda Invoke, async). Each
    invocation's payload is delivered back to `handler`, as Lambda would: every part is
    scanned, exactly one aggregates, and its findings are an unsplit scan's."""
    import dataclasses

    from mlwarden.aws.session import session_hook
    from mlwarden.demo.estate import seed
    cfg, _ = audit_setup
    seed(None, (REGION,))
    assert handler(SCHEDULED_EVENT, None, config=cfg)["status"] == "scanned"   # no function name: one scan
    whole = _verdicts()
    dated = [k for k in _keys("audit-reports") if k.startswith("mlwarden/20") and k.endswith("/findings.json")]

    invoked: list[dict] = []

    def record(params, **kwargs):
        invoked.append({"FunctionName": params["FunctionName"], "InvocationType": params.get("InvocationType"),
                        "Payload": json.loads(params["Payload"])})

    split_cfg = dataclasses.replace(cfg, function_name="mlwarden-audit", split_threshold=20)
    with session_hook(lambda s: s.register("before-parameter-build.lambda.Invoke", record)):
        out = handler(SCHEDULED_EVENT, None, config=split_cfg)
    assert out["status"] == "fanned-out" and out["by_type"] is True, out
    assert len(invoked) == out["parts"] == 3       # one region, three type groups
    assert {(i["FunctionName"], i["InvocationType"]) for i in invoked} == {("mlwarden-audit", "Event")}
    # the fan-out scanned nothing itself
    assert [k for k in _keys("audit-reports") if k.startswith("mlwarden/20") and k.endswith("/findings.json")] == dated

    statuses = [handler(i["Payload"], None, config=split_cfg)["status"] for i in invoked]
    assert statuses == ["part-written", "part-written", "aggregated"]
    # Lambda delivers an async event at least once: a repeated part does not aggregate again
    assert handler(invoked[-1]["Payload"], None, config=split_cfg)["status"] == "part-written"
    keys = _keys("audit-reports")
    run = f"mlwarden/runs/{out['run_id']}/"
    assert len([k for k in keys if k.startswith(run + "parts/")]) == 3
    assert [k for k in keys if k.startswith(run) and k.endswith("aggregate.lock")] == [run + "aggregate.lock"]
    assert len([k for k in keys if k.startswith("mlwarden/20") and k.endswith("/findings.json")]) == len(dated) + 1
    assert _latest_findings()["scan"]["run_id"] == out["run_id"]
    assert _verdicts() == whole
    assert any(f[0] == "MLW-REG-003" for f in whole)   # lineage-derived verdicts are among them
