"""Other scanners' SageMaker test cases (tests/policies/other_scanners.py) through our real
paths: checkov's as a CloudFormation template and a Terraform plan through `scan_iac`,
Prowler's as resources in moto scanned live. Our verdict must be theirs, or the one a
reviewed DISAGREEMENTS entry gives."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from mlwarden.api import EvalOptions
from mlwarden.iac import checkov as checkov_mod
from mlwarden.iac.scan import CHECKOV_OFF, CHECKOV_ON, IacOptions, scan_iac
from mlwarden.model import Status

from . import other_scanners as cases
from .other_scanners import CFN_CASES, DISAGREEMENTS, LIVE_CASES, TF_CASES

ALL_CASES = CFN_CASES + TF_CASES + LIVE_CASES
PASS_, FAIL_ = cases.PASS, cases.FAIL


def expected(case) -> str:
    ours = DISAGREEMENTS.get((case.rid, case.policy))
    return ours[0] if ours else case.theirs


# --- files the checkov cases become ---------------------------------------------------------

def cfn_template() -> dict:
    resources = dict(cases.CFN_SUPPORT)
    for c in CFN_CASES:
        resources[c.rid] = {"Type": c.rtype, "Properties": c.props}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Parameters": cases.CFN_PARAMETERS, "Resources": resources}


def tf_plan() -> dict:
    """A plan as `terraform show -json` writes it, reduced to what readers use: planned
    values, the changes' unknown attributes and the configuration's references."""
    planned, changes, config = [], [], []

    def add(address: str, values: dict, unknown: dict, refs: dict[str, str]) -> None:
        rtype, name = address.split(".", 1)
        planned.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                        "values": values})
        changes.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                        "provider_name": "registry.terraform.io/hashicorp/aws",
                        "change": {"actions": ["create"], "before": None, "after": values,
                                   "after_unknown": unknown}})
        config.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                       "provider_config_key": "aws",
                       "expressions": {k: {"references": [v, v.rsplit(".", 1)[0]]} for k, v in refs.items()}})

    for address, values, unknown in cases.TF_SUPPORT:
        add(address, values, {k: True for k in unknown}, {})
    for c in TF_CASES:
        add(f"{c.rtype}.{c.rid}", c.props, {k: True for k in (*c.refs, "arn", "id")}, c.refs)
    return {"format_version": "1.2", "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": planned}},
            "resource_changes": changes,
            "configuration": {"provider_config": {"aws": {"name": "aws"}}, "root_module": {"resources": config}}}


@pytest.fixture(scope="module")
def iac_files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("other-scanners")
    cfn = root / "checkov_cases.template.json"
    cfn.write_text(json.dumps(cfn_template(), indent=1))
    plan = root / "checkov_cases.tfplan.json"
    plan.write_text(json.dumps(tf_plan(), indent=1))
    return {"cloudformation": cfn, "terraform": plan}


def _key(case) -> str:
    """How a scan names the resource of a case: CloudFormation logical id, Terraform address."""
    return case.rid if case in CFN_CASES else f"{case.rtype}.{case.rid}"


@pytest.fixture(scope="module")
def iac_verdicts(iac_files) -> dict[tuple[str, str], str]:
    result = scan_iac(IacOptions(paths=tuple(iac_files.values()), checkov=CHECKOV_OFF), EvalOptions())
    assert result.loaded.errors == []
    by_arn = {r.arn: (r.facts.get("terraform_address") or r.id) for r in result.inventory.resources}
    return {(by_arn.get(f.resource.get("arn"), f.resource.get("id")), f.policy_id): f.status.value
            for f in result.findings.findings}


@pytest.mark.parametrize("case", CFN_CASES + TF_CASES, ids=lambda c: f"{c.check}-{c.rid}-{c.policy}")
def test_checkov_case_through_mlwarden_iac(case, iac_verdicts):
    # No finding: the policy does not apply to the resource (as checkov's UNKNOWN).
    got = iac_verdicts.get((_key(case), case.policy), cases.NO_RESULT)
    why = DISAGREEMENTS.get((case.rid, case.policy), ("", "agrees with " + case.check))[1]
    assert got == expected(case), f"{case.mirrors}: {case.check} says {case.theirs}, {case.policy} says {got} ({why})"


# --- checkov itself on the same files: the `theirs` column cannot drift ---------------------

@pytest.mark.checkov
def test_checkov_gives_the_verdicts_the_table_records(iac_files):
    """checkov run by `mlwarden iac --checkov` on the mirrored files: each case's check is
    merged into our finding (scanner/iac/checkov_checks.yaml `equivalent`) with checkov's
    own verdict, which must be the table's `theirs`; where ours differs, the finding says so."""
    if checkov_mod.find_checkov() is None:
        pytest.skip("checkov is not installed (scripts/bootstrap.sh checkov)")
    result = scan_iac(IacOptions(paths=tuple(iac_files.values()), checkov=CHECKOV_ON), EvalOptions())
    assert result.checkov["status"] == "ran", result.checkov
    by_arn = {r.arn: (r.facts.get("terraform_address") or r.id) for r in result.inventory.resources}
    ours = {(by_arn.get(f.resource.get("arn")), f.policy_id): f for f in result.findings.findings}
    wrong = {}
    for c in CFN_CASES + TF_CASES:
        finding = ours.get((_key(c), c.policy))
        if finding is None:
            # Our policy does not apply: a result of checkov's would stand as its own finding.
            alone = ours.get((_key(c), c.check))
            theirs = alone.status.value if alone is not None else cases.NO_RESULT
            if theirs != c.theirs:
                wrong[(_key(c), c.check)] = (c.theirs, theirs)
            continue
        related = {r["id"]: r["result"] for r in finding.evidence.get("related_checks", [])}
        if c.check in related:
            theirs = {"PASSED": PASS_, "FAILED": FAIL_}[related[c.check]]
            disagrees = f"checkov {c.check} disagrees" in finding.message
            # (the merge notes a disagreement only between two verdicts, not with NOT_ASSESSED)
            assert disagrees == (expected(c) in (PASS_, FAIL_) and expected(c) != c.theirs), (c.rid, finding.message)
            # One finding per property: no separate checkov finding for a merged check.
            assert (_key(c), c.check) not in ours, c.rid
        else:
            # A check that is not an `equivalent` of the policy stands as its own finding.
            alone = ours.get((_key(c), c.check))
            theirs = alone.status.value if alone is not None else cases.NO_RESULT
        if theirs != c.theirs:
            wrong[(_key(c), c.check)] = (c.theirs, theirs)
    assert wrong == {}, "checkov answers otherwise than the table: (recorded, checkov)"


# --- Prowler's cases, live against moto ------------------------------------------------------

def _fill(value, env: dict[str, str]):
    if isinstance(value, str):
        return env.get(value, value)
    if isinstance(value, list):
        return [_fill(v, env) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, env) for k, v in value.items()}
    return value


DENIED = {"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}


def _build(case, sm, env, aws_context) -> str:
    """Create the case's resource; its id in the inventory."""
    args = _fill(dict(case.args), env)
    if case.build == "kms_key":
        kms = boto3.client("kms", region_name=cases.REGION)
        key_id = kms.create_key(Description=case.rid)["KeyMetadata"]["KeyId"]
        if args.get("rotation"):
            kms.enable_key_rotation(KeyId=key_id)
        if args.get("deny"):
            # Refused as IAM would refuse it, before it is sent, for this key only.
            def refuse(params, _key=key_id, _op=args["deny"], **kwargs):
                if f'"{_key}"' in (params.get("body") or b"").decode():
                    raise ClientError(DENIED, _op)
            aws_context.client("kms", cases.REGION).meta.events.register(
                f"before-call.kms.{args['deny']}", refuse)
        return key_id
    if case.build == "bucket":
        s3 = boto3.client("s3", region_name=cases.REGION)
        s3.create_bucket(Bucket=case.rid, CreateBucketConfiguration={"LocationConstraint": cases.REGION})
        if args.get("versioning"):
            s3.put_bucket_versioning(Bucket=case.rid, VersioningConfiguration={"Status": args["versioning"]})
        if args.get("sse"):
            s3.put_bucket_encryption(Bucket=case.rid, ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": args["sse"]}]})
        if args.get("block"):
            s3.put_public_access_block(Bucket=case.rid, PublicAccessBlockConfiguration=args["block"])
        if args.get("account_block"):
            boto3.client("s3control", region_name=cases.REGION).put_public_access_block(
                AccountId=cases.ACCOUNT, PublicAccessBlockConfiguration=args["account_block"])
        if args.get("deny"):
            def refuse_bucket(params, _bucket=case.rid, _op=args["deny"], **kwargs):
                if f"/{_bucket}" in params.get("url_path", "") or f"//{_bucket}." in params.get("url", ""):
                    raise ClientError(DENIED, _op)
            aws_context.client("s3", cases.REGION).meta.events.register(f"before-call.s3.{args['deny']}", refuse_bucket)
        if args.get("deny_insecure"):
            statement = {k: (v.format(bucket=case.rid) if isinstance(v, str) else v)
                         for k, v in args["deny_insecure"].items()}
            s3.put_bucket_policy(Bucket=case.rid, Policy=json.dumps({"Version": "2012-10-17",
                                                                     "Statement": [statement]}))
        return case.rid
    if case.build == "notebook":
        sm.create_notebook_instance(NotebookInstanceName=case.rid, InstanceType="ml.t3.medium",
                                    RoleArn=cases.ROLE_ARN, **args)
    elif case.build == "model":
        sm.create_model(ModelName=case.rid, ExecutionRoleArn=cases.ROLE_ARN,
                        PrimaryContainer={"Image": f"{cases.ACCOUNT}.dkr.ecr.{cases.REGION}.amazonaws.com/xgb:1",
                                          "ModelDataUrl": "s3://models/xgb/model.tar.gz"}, **args)
    elif case.build == "endpoint_config":
        counts = args.pop("counts")
        # A count of None is a serverless variant: memory and concurrency, no instances.
        sm.create_endpoint_config(EndpointConfigName=case.rid, ProductionVariants=[
            {"VariantName": f"v{i}", "ModelName": "served", "InitialVariantWeight": 1.0,
             **({"InitialInstanceCount": n, "InstanceType": "ml.m5.large"} if n is not None else
                {"ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}})}
            for i, n in enumerate(counts, 1)], **args)
    elif case.build == "training_job":
        resource = {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50}
        if args.pop("volume_key", False):
            resource["VolumeKmsKeyId"] = env["<key>"]
        sm.create_training_job(
            TrainingJobName=case.rid, RoleArn=cases.ROLE_ARN,
            AlgorithmSpecification={"TrainingImage": f"{cases.ACCOUNT}.dkr.ecr.{cases.REGION}.amazonaws.com/xgb:1",
                                    "TrainingInputMode": "File"},
            OutputDataConfig={"S3OutputPath": "s3://model-out/xgb", "KmsKeyId": env["<key>"]},
            ResourceConfig=resource, StoppingCondition={"MaxRuntimeInSeconds": 3600}, **args)
    else:
        raise AssertionError(f"no builder {case.build}")
    return case.rid


GROUPS = sorted({c.group for c in LIVE_CASES})


def scan_live(group: str, aws_context) -> dict[tuple[str, str], str]:
    """Create the group's cases in (a fresh) moto, scan live, judge: (case, policy) → status."""
    from mlwarden import settings as settings_mod
    from mlwarden.engine.wasm_engine import WasmEngine
    from mlwarden.evaluate import evaluate
    from mlwarden.pipeline import collect
    from mlwarden.policy.library import load_policies

    region = cases.REGION
    kms = boto3.client("kms", region_name=region)
    key = kms.create_key()["KeyMetadata"]
    ec2 = boto3.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="ml", Description="ml", VpcId=vpc)["GroupId"]
    env = {"<key>": key["Arn"], "<key-id>": key["KeyId"], "<subnet>": subnet, "<sg>": sg}
    sm = boto3.client("sagemaker", region_name=region)
    sm.create_model(ModelName="served", ExecutionRoleArn=cases.ROLE_ARN,
                    PrimaryContainer={"Image": f"{cases.ACCOUNT}.dkr.ecr.{region}.amazonaws.com/xgb:1"})
    mine = [c for c in LIVE_CASES if c.group == group]
    ids = {case.rid: _build(case, sm, env, aws_context) for case in mine}
    inv = collect(aws_context, [region], types=sorted({c.rtype for c in mine}))
    policy_set = load_policies()
    engine = WasmEngine(workers=1)
    engine.prepare(policy_set)
    try:
        doc = evaluate(inv, policy_set, engine, settings_mod.defaults())
    finally:
        engine.close()
    rid_of = {v: k for k, v in ids.items()}
    return {(rid_of.get(f.resource.get("id"), f.resource.get("id")), f.policy_id): f.status.value
            for f in doc.findings}


@pytest.mark.parametrize("group", GROUPS)
def test_prowler_cases_scanned_live(group, aws, aws_context):
    live_verdicts = scan_live(group, aws_context)
    wrong = {}
    for case in (c for c in LIVE_CASES if c.group == group):
        got = live_verdicts.get((case.rid, case.policy), cases.NO_RESULT)
        if got != expected(case):
            wrong[(case.rid, case.policy)] = (case.check, case.theirs, expected(case), got, case.mirrors)
    assert wrong == {}, "(their check, theirs, expected of us, ours, mirrors)"


# --- the table itself ------------------------------------------------------------------------

def test_every_disagreement_is_a_case_and_gives_a_reason():
    keys = {(c.rid, c.policy) for c in ALL_CASES}
    for key, (ours, why) in DISAGREEMENTS.items():
        assert key in keys, key
        case = next(c for c in ALL_CASES if (c.rid, c.policy) == key)
        assert ours != case.theirs and ours in {s.value for s in Status}, key
        assert len(why) > 40, key


def test_counts_documented_in_controls_md():
    """docs/controls.md states the table's counts; they follow the table."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "controls.md").read_text()
    counts = Counter("disagree" if (c.rid, c.policy) in DISAGREEMENTS else "agree" for c in ALL_CASES)
    assert f"{len(ALL_CASES)} mirrored cases" in text
    assert f"{counts['agree']} agree" in text
    assert f"{counts['disagree']} reviewed disagreements" in text
