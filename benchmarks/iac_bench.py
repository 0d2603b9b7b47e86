"""How long a pre-release scan of a large CloudFormation template takes: mlwarden alone
(`mlwarden iac --no-checkov`) against checkov alone on the same file.

    .venv/bin/python benchmarks/iac_bench.py [--resources 2000] [--keep DIR]

The template is generated: groups of a KMS key, an execution role with an inline
policy, a bucket with a TLS-only bucket policy, a security group with an ingress rule,
a notebook instance and a model + endpoint configuration that reference them (half of
them compliant), so intrinsics, relations, attachments and facts are all exercised.
checkov runs only when .tools/checkov-venv exists (scripts/bootstrap.sh checkov).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUP = 8   # resources per group below


def group(i: int) -> dict:
    sealed = i % 2 == 0
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]}
    tags = [{"Key": "owner", "Value": "ml-platform"}, {"Key": "environment", "Value": {"Ref": "Environment"}}]
    nb_props = {"InstanceType": "ml.t3.medium", "RoleArn": {"Fn::GetAtt": [f"Role{i}", "Arn"]},
                "DirectInternetAccess": "Disabled" if sealed else "Enabled", "Tags": tags}
    if sealed:
        nb_props["KmsKeyId"] = {"Ref": f"Key{i}"}
    return {
        f"Key{i}": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": sealed, "Tags": tags}},
        f"Role{i}": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": {"Fn::Sub": f"${{Environment}}-exec-{i}"}, "AssumeRolePolicyDocument": trust,
            "Policies": [{"PolicyName": "data", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": {"Fn::Sub": f"${{Bucket{i}.Arn}}/*"}}]}}]}},
        f"Bucket{i}": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{
            "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": [f"Key{i}", "Arn"]}}}]},
            "Tags": tags}},
        f"BucketPolicy{i}": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": f"Bucket{i}"}, "PolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                                     "Resource": {"Fn::Sub": f"${{Bucket{i}.Arn}}/*"},
                                                     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
        f"Group{i}": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "notebooks", "VpcId": "vpc-0abc",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                      "CidrIp": "10.0.0.0/8" if sealed else "0.0.0.0/0"}]}},
        f"Notebook{i}": {"Type": "AWS::SageMaker::NotebookInstance", "Properties": nb_props},
        f"Model{i}": {"Type": "AWS::SageMaker::Model", "Properties": {
            "ExecutionRoleArn": {"Fn::GetAtt": [f"Role{i}", "Arn"]}, "EnableNetworkIsolation": sealed,
            "PrimaryContainer": {"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1",
                                 "ModelDataUrl": {"Fn::Sub": f"s3://${{Bucket{i}}}/model.tar.gz"}}, "Tags": tags}},
        f"Config{i}": {"Type": "AWS::SageMaker::EndpointConfig", "Properties": {
            **({"KmsKeyId": {"Fn::GetAtt": [f"Key{i}", "Arn"]}} if sealed else {}),
            "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": {"Fn::GetAtt": [f"Model{i}", "ModelName"]},
                                    "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}], "Tags": tags}},
    }


def template(n: int) -> dict:
    resources: dict = {}
    i = 0
    while len(resources) < n:
        resources.update(group(i))
        i += 1
    resources = dict(list(resources.items())[:n])
    return {"AWSTemplateFormatVersion": "2010-09-09",
            "Parameters": {"Environment": {"Type": "String", "Default": "prod"}},
            "Resources": resources}


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=2000)
    ap.add_argument("--keep", type=Path, help="write the template and reports here (default: a temp dir)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="iac-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "big.template.json"
    path.write_text(json.dumps(template(args.resources), indent=1))
    print(f"template: {path} ({args.resources} resources, {path.stat().st_size // 1024} KiB)")

    mlwarden = ROOT / ".venv" / "bin" / "mlwarden"
    t_ml, proc = timed([str(mlwarden), "iac", str(path), "--no-checkov", "--format", "json",
                        "--out", str(work / "out"), "--fail-on", "critical"])
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
        return 2
    findings = json.loads((work / "out" / "findings.json").read_text())["findings"]
    print(f"mlwarden iac: {t_ml:7.2f} s  ({len(findings)} findings)")

    checkov = ROOT / ".tools" / "checkov-venv" / "bin" / "checkov"
    if not checkov.is_file():
        print("checkov:      not installed (scripts/bootstrap.sh checkov); no ratio")
    else:
        t_ck, proc = timed([str(checkov), "-f", str(path), "--framework", "cloudformation", "-o", "json",
                            "--skip-download", "--compact"])
        if proc.returncode not in (0, 1):
            print(proc.stderr[-2000:], file=sys.stderr)
            return 2
        report = json.loads(proc.stdout)
        report = report[0] if isinstance(report, list) else report
        s = report.get("summary", {})
        print(f"checkov:      {t_ck:7.2f} s  ({s.get('passed', 0) + s.get('failed', 0)} results)")
        print(f"ratio mlwarden/checkov: {t_ml / t_ck:.2f}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
