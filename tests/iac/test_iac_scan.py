"""`mlwarden iac` on templates, plans and pipeline definitions: what a release gate sees."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "iac"
STACK = FIX / "ml_stack.yaml"


def _scan(*paths: Path, **kw):
    return scan_iac(IacOptions(paths=tuple(paths), checkov=CHECKOV_OFF, **kw), EvalOptions())


def _verdicts(result, policy_id: str) -> dict[str, Status]:
    return {f.resource["id"]: f.status for f in result.findings.findings if f.policy_id == policy_id}


def _resource(result, rid: str):
    return next(r for r in result.inventory.resources if r.id == rid)


def _cli(*args: str):
    """The real command, in process (click's runner keeps stdout and stderr apart)."""
    from click.testing import CliRunner
    from mlwarden.cli import main
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    result.returncode = result.exit_code
    return result


# --- CloudFormation ---------------------------------------------------------------------

def test_template_verdicts_follow_intrinsics_parameters_and_conditions():
    result = _scan(STACK)
    # prod (the default): PlainNotebook's key is `!If [IsDev, …, AWS::NoValue]` → no key
    assert _verdicts(result, "MLW-ENC-001") == {
        "SealedNotebook": Status.PASS, "PlainNotebook": Status.FAIL,
        "ImportedKeyNotebook": Status.NOT_ASSESSED}
    # Condition IsDev is false: the dev-only notebook is not deployed, so not judged
    assert "DevOnlyNotebook" not in {r.id for r in result.inventory.resources}
    sealed = _resource(result, "SealedNotebook")
    assert sealed.properties["InstanceType"] == "ml.m5.xlarge"          # FindInMap on the default
    assert sealed.tags == {"environment": "prod", "owner": "ml-platform"}
    assert sealed.source.to_dict() == {"kind": "cloudformation", "file": str(STACK), "line": 42}
    assert _resource(result, "Role").properties["RoleName"] == "prod-notebook"   # Fn::Sub


def test_parameter_override_changes_conditions_and_mappings():
    result = _scan(STACK, parameters={"Environment": "dev"})
    assert _verdicts(result, "MLW-ENC-001")["PlainNotebook"] == Status.PASS    # !If picks the key
    assert "DevOnlyNotebook" in {r.id for r in result.inventory.resources}
    assert _resource(result, "SealedNotebook").properties["InstanceType"] == "ml.t3.medium"


def test_unknown_values_are_not_assessed_with_the_reason():
    result = _scan(STACK)
    f = next(f for f in result.findings.findings
             if f.policy_id == "MLW-ENC-001" and f.resource["id"] == "ImportedKeyNotebook")
    assert f.message == ("value unknown before deployment: properties.KmsKeyId "
                         "(Fn::ImportValue platform-kms-key-arn)")
    assert f.evidence["properties.KmsKeyId"] == {"mlwarden:unknown": "Fn::ImportValue platform-kms-key-arn"}
    nb = _resource(result, "ImportedKeyNotebook")
    assert sorted(nb.facts["unknown_properties"]) == ["properties.KmsKeyId", "properties.SubnetId"]
    # a policy that does not look at the unknown value keeps its verdict
    assert _verdicts(result, "MLW-NET-001")["ImportedKeyNotebook"] == Status.FAIL


def test_who_set_a_package_stage_is_unknown_without_hiding_its_auto_approval(tmp_path):
    """MLW-REG-010 needs who set the stage (LastModifiedBy, else CreatedBy), which only
    SageMaker records: NOT_ASSESSED on a template, not FAIL "records no one". Its marker
    (facts.stage_setter) is its own, so MLW-REG-001 still fails the package registered
    already Approved, and a missing StageDescription is still REG-010's FAIL."""
    package = {"Type": "AWS::SageMaker::ModelPackage", "Properties": {
        "ModelPackageGroupName": "churn", "ModelApprovalStatus": "Approved",
        "InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/c:1"}],
                                   "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
        "ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved", "StageDescription": "CAB-1142"}}}
    undescribed = json.loads(json.dumps(package))
    del undescribed["Properties"]["ModelLifeCycle"]["StageDescription"]
    file = tmp_path / "packages.json"
    file.write_text(json.dumps({"Resources": {"Described": package, "Undescribed": undescribed}}))
    result = _scan(file)
    found = {(f.policy_id, f.resource["id"]): f for f in result.findings.findings}
    described = found[("MLW-REG-010", "Described")]
    assert described.status == Status.NOT_ASSESSED, described.message
    assert described.message.startswith("value unknown before deployment: facts.stage_setter (who set the stage")
    assert described.evidence["verdict_before_unknowns"] == "PASS"
    # a violation on a known value stands; the unknown setter adds none
    undescribed_f = found[("MLW-REG-010", "Undescribed")]
    assert undescribed_f.status == Status.FAIL
    assert [v["path"] for v in undescribed_f.violations] == [["properties", "ModelLifeCycle", "StageDescription"]]
    for rid in ("Described", "Undescribed"):
        f = found[("MLW-REG-001", rid)]
        assert (f.status, f.message) == (
            Status.FAIL, f"model package {rid} was registered already Approved: no manual approval step")


def test_an_image_in_some_accounts_private_ecr_needs_the_account_the_template_deploys_to(tmp_path):
    """MLW-INT-006 trusts an image in the resource's own account's private ECR. A template
    does not say which account it deploys to: without --account such an image is
    NOT_ASSESSED (naming --account), not FAIL; with it, it is judged. A public image fails
    either way, and an image of a trusted account passes either way."""
    def model(*images: str) -> dict:
        return {"Type": "AWS::SageMaker::Model", "Properties": {
            "ExecutionRoleArn": "arn:aws:iam::111122223333:role/ml-exec",
            "Containers": [{"Image": i, "ModelDataUrl": "s3://b/m.tar.gz"} for i in images]}}
    own = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/churn:1"
    public = "docker.io/library/python:3.12"
    file = tmp_path / "models.json"
    file.write_text(json.dumps({"Resources": {
        "Own": model(own), "Public": model(public), "Both": model(own, public)}}))

    found = {f.resource["id"]: f for f in _scan(file).findings.findings if f.policy_id == "MLW-INT-006"}
    assert found["Own"].status == Status.NOT_ASSESSED, found["Own"].message
    assert "give it with --account" in found["Own"].message
    assert "from the ECR registry of account 111122223333" in found["Own"].message
    assert found["Public"].status == Status.FAIL
    # the public image is a finding of its own; the own-account one is set aside, not dropped silently
    both = found["Both"]
    assert (both.status, both.message) == (
        Status.FAIL, f"model Both uses image {public}, which is not in a private ECR registry")
    assert [v["path"] for v in both.violations] == [["properties", "Containers", 1, "Image"]]
    assert len(both.evidence["unknown_violations"]) == 1

    known = {f.resource["id"]: f for f in _scan(file, account="111122223333").findings.findings
             if f.policy_id == "MLW-INT-006"}
    assert {rid: f.status for rid, f in known.items()} == {
        "Own": Status.PASS, "Public": Status.FAIL, "Both": Status.FAIL}
    assert "deploy_account" not in _resource(_scan(file, account="111122223333"), "Own").facts
    elsewhere = {f.resource["id"]: f.status for f in _scan(file, account="444455556666").findings.findings
                 if f.policy_id == "MLW-INT-006"}
    assert elsewhere["Own"] == Status.FAIL


def test_endpoint_named_and_served_by_launch_parameters(tmp_path):
    # A product-style template: the endpoint's name and its model's package are parameters.
    # It used to stop the scan (an unknown EndpointName is no name to match scaling targets
    # with) and, once past that, to fail MLW-REG-003 as "no registered model package".
    path = tmp_path / "endpoint.yaml"
    path.write_text(
        "Parameters:\n  Name: {Type: String}\n  Package: {Type: String}\n"
        "Resources:\n"
        "  Model:\n    Type: AWS::SageMaker::Model\n    Properties:\n"
        "      ExecutionRoleArn: arn:aws:iam::111122223333:role/x\n"
        "      PrimaryContainer: {ModelPackageName: !Ref Package}\n"
        "  Config:\n    Type: AWS::SageMaker::EndpointConfig\n    Properties:\n"
        "      ProductionVariants: [{VariantName: a, ModelName: !GetAtt Model.ModelName, "
        "InstanceType: ml.m5.large, InitialInstanceCount: 2}]\n"
        "  Endpoint:\n    Type: AWS::SageMaker::Endpoint\n    Properties:\n"
        "      EndpointName: !Ref Name\n      EndpointConfigName: !GetAtt Config.EndpointConfigName\n"
        "      Tags: [{Key: environment, Value: prod}]\n")
    result = _scan(path)
    f = next(f for f in result.findings.findings if f.policy_id == "MLW-REG-003")
    assert f.status == Status.NOT_ASSESSED
    assert "the model package of model Model is unknown before deployment" in f.message


def test_references_become_relations_that_resolve_inside_the_template():
    result = _scan(STACK)
    sealed = _resource(result, "SealedNotebook")
    role, key = _resource(result, "Role"), _resource(result, "Key")
    assert sealed.relations == {"role": [role.arn], "kms_keys": [key.arn]}
    assert key.arn == f"cfn://{STACK}#Key"
    # MLW-ENC-020 reads input.related.kms_keys: the template's own key, enabled, customer managed
    assert _verdicts(result, "MLW-ENC-020")["SealedNotebook"] == Status.PASS


def test_cdk_json_and_sam_templates():
    result = _scan(FIX / "cdk_synth.template.json", FIX / "sam_app.yaml", region="eu-west-1")
    cfg = _resource(result, "EndpointConfigD4E5F6")
    assert cfg.properties["KmsKeyId"] == f"cfn://{FIX / 'cdk_synth.template.json'}#ModelKey1A2B3C"
    assert cfg.properties["ProductionVariants"][0]["ModelName"] == "model-eu-west-1"
    assert _verdicts(result, "MLW-ENC-003")["EndpointConfigD4E5F6"] == Status.PASS
    # SAM: the bucket policy and the ingress rule are folded into their targets
    assert _resource(result, "Artifacts").facts["tls_only"] is True
    assert _verdicts(result, "MLW-ENC-017")["Artifacts"] == Status.PASS
    assert _resource(result, "OpenGroup").facts["open_to_world"] is True
    assert _verdicts(result, "MLW-NET-011")["OpenGroup"] == Status.FAIL
    assert _resource(result, "Inference").properties["Runtime"] == "python3.12"   # Globals merged


@pytest.mark.parametrize("name, expected", [
    ("bad_yaml.yaml", "bad_yaml.yaml:5: not a valid template"),
    ("unknown_intrinsic.yaml", "unknown_intrinsic.yaml:5: unknown intrinsic function Fn::Frobnicate"),
    ("no_resources.yaml", "no_resources.yaml:1: template has no Resources section"),
    ("undefined_ref.yaml", "undefined_ref.yaml:6: Fn::GetAtt of undefined resource 'Missing'"),
])
def test_malformed_templates_are_one_line_input_errors(tmp_path, name, expected):
    proc = _cli("iac", str(FIX / "malformed" / name), "--no-checkov", "--out", str(tmp_path))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mlwarden: error: ") and expected in lines[0], proc.stderr


def test_directory_scan_skips_files_that_are_not_iac(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "stack.yaml").write_text(STACK.read_text())
    (tmp_path / "templates" / "ci.yaml").write_text("on: push\njobs: {}\n")
    result = _scan(tmp_path / "templates")
    assert [f.display for f in result.loaded.files] == [str(tmp_path / "templates" / "stack.yaml")]
    assert result.loaded.skipped == [str(tmp_path / "templates" / "ci.yaml")]


# --- Terraform plan -----------------------------------------------------------------------

def test_terraform_plan_resources_and_references():
    plan = FIX / "plan.json"
    result = _scan(plan)
    nb = _resource(result, "aws_sagemaker_notebook_instance.nb")
    assert nb.type == "AWS::SageMaker::NotebookInstance" and nb.source.kind == "terraform"
    assert nb.properties["NotebookInstanceName"] == "research"
    assert nb.properties["SecurityGroupIds"] == [f"tf://{plan}#aws_security_group.nb"]
    # kms_key_id comes from a data source: unknown until apply
    assert _verdicts(result, "MLW-ENC-001")["aws_sagemaker_notebook_instance.nb"] == Status.NOT_ASSESSED
    # the notebook's security group (a reference in the plan) is open to the world
    assert _verdicts(result, "MLW-NET-012")["aws_sagemaker_notebook_instance.nb"] == Status.FAIL
    bucket = _resource(result, "aws_s3_bucket.data")
    assert bucket.properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": f"tf://{plan}#aws_kms_key.ml"}
    assert bucket.properties["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True
    role = _resource(result, "aws_iam_role.exec")
    assert role.properties["Policies"][0]["PolicyName"] == "s3"          # aws_iam_role_policy merged
    assert role.facts["actions"]["admin_star"] is True
    assert _verdicts(result, "MLW-ENC-003")["module.serving.aws_sagemaker_endpoint_configuration.cfg"] == Status.FAIL


# --- SageMaker pipeline definitions --------------------------------------------------------

def test_pipeline_steps_are_judged_as_the_jobs_they_start():
    result = _scan(FIX / "pipelines" / "train_pipeline.json")
    types = {r.id: r.type for r in result.inventory.resources}
    assert types == {"train_pipeline": "AWS::SageMaker::Pipeline", "Preprocess": "MLW::SageMaker::ProcessingJob",
                     "Train": "MLW::SageMaker::TrainingJob"}   # Train sits inside a Condition step
    train = _resource(result, "Train")
    assert train.properties["ResourceConfig"]["InstanceType"] == "ml.m5.xlarge"   # parameter default
    assert train.properties["OutputDataConfig"]["S3OutputPath"] == "s3://ml-data/models"  # Std:Join
    assert _verdicts(result, "MLW-ENC-006")["Train"] == Status.PASS
    assert _verdicts(result, "MLW-ENC-005")["Train"] == Status.NOT_ASSESSED   # parameter without default
    assert _verdicts(result, "MLW-ENC-007")["Preprocess"] == Status.FAIL


def test_pipeline_object_without_the_sdk_is_a_clear_error(tmp_path):
    import importlib.util
    if importlib.util.find_spec("sagemaker") is not None:
        pytest.skip("the SageMaker SDK is installed here; this test covers its absence")
    proc = _cli("iac", "--pipeline", "mypipe:pipeline", "--no-checkov", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "--pipeline needs the SageMaker Python SDK" in proc.stderr


# --- the CI gate ---------------------------------------------------------------------------

def test_exit_code_follows_fail_on(tmp_path):
    high = _cli("iac", str(STACK), "--no-checkov", "--format", "json", "--out", str(tmp_path / "a"),
                "--fail-on", "high")
    assert high.returncode == 1, high.stderr
    doc = json.loads((tmp_path / "a" / "findings.json").read_text())
    assert doc["scan"]["kind"] == "iac" and doc["scan"]["checkov"] == {"status": "off"}
    assert (tmp_path / "a" / "inventory.json").exists()
    failing = {f["severity"] for f in doc["findings"] if f["status"] in ("FAIL", "ERROR")}
    assert "critical" not in failing
    critical = _cli("iac", str(STACK), "--no-checkov", "--format", "json", "--out", str(tmp_path / "b"),
                    "--fail-on", "critical")
    assert critical.returncode == 0, critical.stderr


def test_more_intrinsics_resolve(tmp_path):
    t = tmp_path / "fns.yaml"
    t.write_text("""
Parameters:
  Subnets: {Type: CommaDelimitedList, Default: "subnet-a,subnet-b"}
  Cidr: {Type: String, Default: "10.0.0.0/16"}
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Join ["", ["for ", !Select [1, !Split [",", "x,notebooks"]]]]
      VpcId: !Sub
        - "vpc-${Id}"
        - {Id: !Select [0, !Ref Subnets]}
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref Cidr}
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIpv6: !Select [0, !GetAtt Other.Ipv6CidrBlocks]}
  Other:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.1.0.0/16}
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointConfigName: !GetAtt Config.EndpointConfigName
  Config:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      ProductionVariants:
        - {VariantName: A, ModelName: m, InstanceType: ml.m5.large, InitialInstanceCount: 1}
        - {VariantName: B, ModelName: m, InstanceType: ml.m5.large, InitialInstanceCount: 1}
  ScaleA:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: sagemaker
      ScalableDimension: sagemaker:variant:DesiredInstanceCount
      ResourceId: !Sub "endpoint/${Endpoint.EndpointName}/variant/A"
      MinCapacity: 1
      MaxCapacity: 4
""")
    result = _scan(t)
    group = _resource(result, "Group")
    assert group.properties["GroupDescription"] == "for notebooks"
    assert group.properties["VpcId"] == "vpc-subnet-a"
    assert group.properties["SecurityGroupIngress"][0]["CidrIp"] == "10.0.0.0/16"
    assert group.properties["SecurityGroupIngress"][1]["CidrIpv6"] == {"mlwarden:unknown": (
        "Fn::Select from an unknown value: Fn::GetAtt Other.Ipv6CidrBlocks: known after deployment")}
    # a runtime value inside the ingress rules makes "open to the world" unknown, not false
    assert group.facts["open_to_world"] == {"mlwarden:unknown": "ingress rules unknown before deployment"}
    assert _verdicts(result, "MLW-NET-011")["Group"] == Status.NOT_ASSESSED
    # the scalable target registers variant A of the endpoint, not B
    endpoint = _resource(result, "Endpoint")
    assert endpoint.relations == {"endpoint_config": [_resource(result, "Config").arn]}
    assert endpoint.facts["autoscaling"] == {"A": {"registered": True, "MinCapacity": 1, "MaxCapacity": 4},
                                             "B": {"registered": False}}


def test_precommit_hook_runs_the_gate(tmp_path):
    import yaml
    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "mlwarden-iac")
    args = hook["entry"].split()
    assert args[:2] == ["mlwarden", "iac"]
    out = ["--out", str(tmp_path)]
    # pre-commit appends the staged files that match `files`
    import re
    assert re.search(hook["files"], "stack.yaml") and re.search(hook["files"], "plan.json")
    gate = _cli(*args[1:], *out, "--no-checkov", str(STACK))
    assert gate.returncode == 1, gate.stderr   # high FAILs
    assert _cli(*args[1:], *out, "--no-checkov",
                str(FIX / "pipelines" / "train_pipeline.json"), "--fail-on", "critical").returncode == 0


def test_precommit_hook_judges_templates_and_skips_other_staged_files(tmp_path):
    """pre-commit hands over every staged *.json/*.yml: the hook recognises templates by
    content, lists the other files as skipped, and still fails on a broken template."""
    import yaml
    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    args = next(h for h in hooks if h["id"] == "mlwarden-iac")["entry"].split()[1:]
    staged = {"package.json": '{"name": "app", "version": "1.0.0"}',
              "tsconfig.json": '{\n  // comments are allowed here\n  "compilerOptions": {}\n}',
              "docker-compose.yml": "services:\n  web:\n    image: nginx\n",
              ".github-workflow.yml": "on: [push]\njobs:\n  a: {runs-on: ubuntu-latest, steps: [{run: x}]}\n"}
    for name, text in staged.items():
        (tmp_path / name).write_text(text)
    others = [str(tmp_path / name) for name in staged]
    out = ["--out", str(tmp_path / "out"), "--no-checkov"]
    alone = _cli(*args, *out, *others)
    assert alone.returncode == 0, alone.stderr
    for name in staged:
        assert f"skipped (not a template, plan or pipeline definition): {tmp_path / name}" in alone.stderr
    gate = _cli(*args, *out, *others, str(STACK))
    assert gate.returncode == 1, gate.stderr            # the template's high FAILs still gate
    broken = tmp_path / "broken.yaml"
    broken.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [unclosed\n")
    failed = _cli(*args, *out, *others, str(broken))
    assert failed.returncode == 2, failed.stderr        # a template that cannot be read is never skipped
    assert "broken.yaml" in failed.stderr


def _plan(resources: list[dict], config: list[dict] | None = None) -> dict:
    return {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
                {"mode": "managed", "type": r["address"].split(".")[-2].split("[")[0],
                 "name": r["address"].split(".")[-1].split("[")[0], **{k: v for k, v in r.items() if k != "after_unknown"}}
                for r in resources]}},
            "resource_changes": [{"address": r["address"], "change": {"actions": ["create"], "before": None,
                                                                      "after": r["values"],
                                                                      "after_unknown": r.get("after_unknown", {})}}
                                 for r in resources],
            "configuration": {"root_module": {"resources": config or []}}}


def test_terraform_split_resources_fold_into_their_targets(tmp_path):
    wide = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]})
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_plan([
        {"address": "aws_iam_role.r", "values": {"name": "r", "assume_role_policy": json.dumps({"Version": "2012-10-17", "Statement": []}),
                                                 "tags_all": {"owner": "ml", "environment": "prod"}}},
        {"address": "aws_iam_policy.wide", "values": {"name": "wide", "policy": wide}, "after_unknown": {"arn": True}},
        {"address": "aws_iam_role_policy_attachment.a[0]", "values": {"role": "r"}, "after_unknown": {"policy_arn": True}},
        {"address": "aws_security_group.g", "values": {"name": "g", "ingress": [], "egress": []}, "after_unknown": {"id": True}},
        {"address": "aws_security_group_rule.ssh", "values": {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp",
                                                              "cidr_blocks": ["0.0.0.0/0", "10.0.0.0/8"]},
         "after_unknown": {"security_group_id": True}},
    ], config=[
        {"address": "aws_iam_role_policy_attachment.a", "expressions": {"policy_arn": {"references": ["aws_iam_policy.wide.arn", "aws_iam_policy.wide"]}}},
        {"address": "aws_security_group_rule.ssh", "expressions": {"security_group_id": {"references": ["aws_security_group.g.id", "aws_security_group.g"]}}},
    ])))
    result = _scan(plan)
    role = _resource(result, "aws_iam_role.r")
    assert role.tags == {"owner": "ml", "environment": "prod"}
    assert role.properties["ManagedPolicyArns"] == [f"tf://{plan}#aws_iam_policy.wide"]
    assert role.facts["actions"]["passrole_on_star"] is True     # the attached policy's document counted
    group = _resource(result, "aws_security_group.g")
    assert [r["CidrIp"] for r in group.properties["SecurityGroupIngress"]] == ["0.0.0.0/0", "10.0.0.0/8"]
    assert _verdicts(result, "MLW-NET-011")["aws_security_group.g"] == Status.FAIL


def test_files_that_are_not_iac_are_refused_when_named(tmp_path):
    other = tmp_path / "settings.json"
    other.write_text('{"a": 1}')
    proc = _cli("iac", str(other), "--no-checkov", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert f"{other}:1: not a CloudFormation template, Terraform plan or SageMaker pipeline definition" in proc.stderr
    bad = tmp_path / "broken.json"
    bad.write_text('{"Resources": {\n  "A": }')
    proc = _cli("iac", str(bad), "--no-checkov", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and f"{bad}:2: not valid JSON" in proc.stderr


def test_saved_inventory_resolves_references_outside_the_template(tmp_path):
    from mlwarden.inventory import Inventory
    from mlwarden.model import Resource
    key_arn = "arn:aws:kms:eu-west-1:123456789012:key/existing"
    key = Resource(type="AWS::KMS::Key", id="existing", arn=key_arn, account="123456789012", region="eu-west-1",
                   properties={"KeyState": "Disabled", "Enabled": False, "KeyManager": "CUSTOMER"})
    subnet = Resource(type="AWS::EC2::Subnet", id="subnet-0abc", arn="arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0abc",
                      account="123456789012", region="eu-west-1", properties={"MapPublicIpOnLaunch": False},
                      facts={"routes_to_internet_gateway": False})
    saved = tmp_path / "live" / "inventory.json"
    saved.parent.mkdir()
    Inventory(resources=[key, subnet], accounts=["123456789012"], regions=["eu-west-1"]).save(saved)
    t = tmp_path / "nb.yaml"
    t.write_text(f"""
Resources:
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties: {{InstanceType: ml.t3.medium, RoleArn: arn:aws:iam::123456789012:role/x,
                 KmsKeyId: "{key_arn}", SubnetId: subnet-0abc}}
""")
    alone = _scan(t)
    f = next(f for f in alone.findings.findings if f.policy_id == "MLW-ENC-020")
    assert f.status == Status.FAIL and "could not read KMS key" in f.message
    with_live = _scan(t, inventory=saved)
    f = next(f for f in with_live.findings.findings if f.policy_id == "MLW-ENC-020")
    assert f.status == Status.FAIL and "which is not enabled" in f.message     # judged as it is
    # only the template's resources get findings; the live ones were context
    assert {f.resource["id"] for f in with_live.findings.findings} == {"Notebook"}
    assert with_live.findings.scan["live_context"] == {"inventory": str(saved), "resources": 2}


def test_pipeline_resource_in_a_template_has_its_steps_judged(tmp_path):
    definition = json.loads((FIX / "pipelines" / "train_pipeline.json").read_text())
    t = tmp_path / "pipe.json"
    t.write_text(json.dumps({"Resources": {"Pipe": {"Type": "AWS::SageMaker::Pipeline", "Properties": {
        "PipelineName": "train", "RoleArn": "arn:aws:iam::123456789012:role/pipeline",
        "PipelineDefinition": {"PipelineDefinitionBody": json.dumps(definition)}}}}}))
    result = _scan(t)
    pipe = _resource(result, "Pipe")
    assert pipe.properties["PipelineDefinition"]["Steps"][0]["Name"] == "Preprocess"
    assert _verdicts(result, "MLW-ENC-007")["Preprocess"] == Status.FAIL
    assert _resource(result, "Train").source.kind == "cloudformation"


def test_pipeline_object_is_imported_and_its_definition_scanned(tmp_path, monkeypatch):
    """`--pipeline module:attr` with an object that has `.definition()`, as the SDK's Pipeline.
    The SDK is an optional extra; a stand-in package named `sagemaker` marks it installed."""
    import importlib.util
    if importlib.util.find_spec("sagemaker") is None:
        (tmp_path / "sagemaker").mkdir()
        (tmp_path / "sagemaker" / "__init__.py").write_text("# stand-in for the SageMaker SDK\n")
    definition = (FIX / "pipelines" / "train_pipeline.json").read_text()
    (tmp_path / "my_pipelines.py").write_text(
        "class _Pipeline:\n"
        f"    def definition(self):\n        return {definition!r}\n"
        "training = _Pipeline()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    result = _scan(pipelines=("my_pipelines:training",))
    assert _verdicts(result, "MLW-ENC-005") == {"Train": Status.NOT_ASSESSED}
    assert _resource(result, "training").type == "AWS::SageMaker::Pipeline"
    proc = _cli("iac", "--pipeline", "my_pipelines:nothing", "--no-checkov", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "--pipeline my_pipelines:nothing:" in proc.stderr


def test_get_att_names_the_resource_or_mirrors_a_property_or_is_unknown(tmp_path):
    t = tmp_path / "att.yaml"
    t.write_text("""
Parameters:
  Ami: {Type: "AWS::SSM::Parameter::Value<String>", Default: /ml/notebook/platform}
Resources:
  Net:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-0abc, CidrBlock: 10.0.1.0/24}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: "{{resolve:ssm:/ml/description}}"
      VpcId: !GetAtt Net.VpcId
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::123456789012:role/x
      SubnetId: !Ref Net
      SecurityGroupIds: [!GetAtt Group.GroupId]
      DefaultCodeRepository: !GetAtt Bucket.DomainName
      PlatformIdentifier: !Ref Ami
  Bucket:
    Type: AWS::S3::Bucket
""")
    result = _scan(t)
    group, nb = _resource(result, "Group"), _resource(result, "Notebook")
    assert group.properties["VpcId"] == "vpc-0abc"
    assert group.properties["GroupDescription"] == {"mlwarden:unknown": "dynamic reference {{resolve:ssm:/ml/description}}: resolved at deployment"}
    assert nb.properties["SecurityGroupIds"] == [group.arn]
    assert nb.relations["subnets"] == [_resource(result, "Net").arn]
    assert nb.properties["DefaultCodeRepository"] == {"mlwarden:unknown": "Fn::GetAtt Bucket.DomainName: known after deployment"}
    assert nb.properties["PlatformIdentifier"] == {
        "mlwarden:unknown": "Ref Ami: SSM parameter /ml/notebook/platform is read at deployment"}
