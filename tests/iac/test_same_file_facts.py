"""Facts an IaC scan derives from the other resources of the same file, and the facts
only a deployment has (scanner/iac/normalise.py): what the policies see, including the
edges where the file does not say (the fact is then left out or unknown, never a pass).

The per-policy examples (policies/*/examples/, tests/policies/test_iac_examples.py) show
the ordinary cases; these are the edges.
"""
from __future__ import annotations

from pathlib import Path

from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status


def _scan(tmp_path: Path, body: str):
    path = tmp_path / "stack.template"
    path.write_text("Resources:\n" + body)
    return scan_iac(IacOptions(paths=(path,), checkov=CHECKOV_OFF), EvalOptions())


def _finding(result, policy: str, rid: str):
    return next(f for f in result.findings.findings if f.policy_id == policy and f.resource["id"] == rid)


NOTEBOOK_IN = """  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::111122223333:role/x
      SubnetId: {subnet}
"""


def test_a_subnet_of_a_vpc_outside_the_file_is_not_judged_private(tmp_path):
    # Its VPC's main route table is not in the file: whether it reaches an internet
    # gateway is unknown, so MLW-NET-013 says it could not determine it (as before).
    result = _scan(tmp_path, """  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-0123456789abcdef0, CidrBlock: 10.0.1.0/24}
""" + NOTEBOOK_IN.format(subnet="!Ref Subnet"))
    f = _finding(result, "MLW-NET-013", "Notebook")
    assert f.status == Status.FAIL and "could not determine" in f.message
    subnet = next(r for r in result.inventory.resources if r.id == "Subnet")
    assert "routes_to_internet_gateway" not in subnet.facts


def test_a_route_to_a_literal_internet_gateway_makes_the_subnet_public(tmp_path):
    result = _scan(tmp_path, """  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Table:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Association:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref Table}
  Default:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, GatewayId: igw-0123456789abcdef0}
""" + NOTEBOOK_IN.format(subnet="!Ref Subnet"))
    f = _finding(result, "MLW-NET-013", "Notebook")
    assert f.status == Status.FAIL and "could not" not in f.message and "internet gateway" in f.message


def test_a_vpc_endpoint_whose_service_is_unknown_leaves_the_vpc_not_assessed(tmp_path):
    result = _scan(tmp_path, """  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Vpc, ServiceName: !ImportValue shared-endpoint-service}
""")
    for policy in ("MLW-NET-014", "MLW-NET-015", "MLW-NET-016"):
        f = _finding(result, policy, "Vpc")
        assert f.status == Status.NOT_ASSESSED, (policy, f.message)
        assert "facts.endpoints" in f.message


def test_endpoints_of_another_vpc_in_the_file_do_not_count(tmp_path):
    result = _scan(tmp_path, """  Ml:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Other:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.1.0.0/16}
  S3:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Other, ServiceName: com.amazonaws.eu-west-1.s3}
""")
    assert _finding(result, "MLW-NET-016", "Other").status == Status.PASS
    assert _finding(result, "MLW-NET-016", "Ml").status == Status.FAIL


def test_a_package_without_a_signature_claim_is_judged_unsigned_and_not_verified(tmp_path):
    # No signature claimed: MLW-INT-001 fails on it, the verification rules do not apply,
    # and nothing blocks the rules that read the endpoint's lineage.
    result = _scan(tmp_path, """  Package:
    Type: AWS::SageMaker::ModelPackage
    Properties:
      ModelPackageGroupName: g
      ModelApprovalStatus: Approved
      InferenceSpecification:
        Containers: [{Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1}]
        SupportedContentTypes: [text/csv]
        SupportedResponseMIMETypes: [text/csv]
""")
    assert _finding(result, "MLW-INT-001", "Package").status == Status.FAIL
    judged = {f.policy_id for f in result.findings.findings if f.resource["id"] == "Package"}
    assert not judged & {"MLW-INT-002", "MLW-INT-004"}
    package = next(r for r in result.inventory.resources if r.id == "Package")
    assert package.facet("signature").read
