"""VPCs, subnets, security groups and VPC endpoints: the network a SageMaker
resource sits in.

Subnets and VPCs need a second region-wide read to derive their facts (route
tables; VPC endpoints), so they are `custom` collectors that make each read
once per region rather than once per resource.
"""
from __future__ import annotations

import json
from typing import Iterator

from ..aws.session import paginate
from ..model import CoverageGap, Resource
from ..facets import Facet
from ..resource_type import CloudTrailEvent, TerraformType, security_groups, subnets, vpc
from .base import CollectorSpec, ListCall, Scope, Shape, compact, register, tag_list_to_dict
from .bulk import read_once

WORLD = {"0.0.0.0/0", "::/0"}

# Whether a VPC hosts ML work is derived (scanner/derived.py) from every SageMaker
# resource and every subnet of its region; unknown when one of those reads failed.
ML_USAGE = Facet(name="ml_usage", derived=True,
                 paths=("resource.facts.hosts_ml_work", "resource.facts.ml_resources",
                        "resource.facts.hosts_ml_work_derived_by"),
                 description="whether any SageMaker resource runs in the VPC")


def _resource(type_: str, scope: Scope, id_: str, arn: str, props: dict, *, tags: list | None,
              facts: dict | None = None, relations: dict | None = None) -> Resource:
    return Resource(type=type_, id=id_, arn=arn, account=scope.account, region=scope.region,
                    tags=tag_list_to_dict(tags), properties=compact(props), facts=facts or {},
                    relations={k: v for k, v in (relations or {}).items() if v})


# ── VPC ────────────────────────────────────────────────────────────────────────

def collect_vpcs(scope: Scope) -> Iterator[Resource | CoverageGap]:
    ec2 = scope.client("ec2")
    endpoints: dict[str, list[str]] = {}
    # The VPC endpoint collector's listing, read once for both in this run.
    listed = read_once(scope, "ec2:DescribeVpcEndpoints",
                       lambda: list(paginate(ec2, "DescribeVpcEndpoints", "VpcEndpoints")))
    for ep in listed:
        if ep.get("State", "").lower() not in ("deleted", "deleting", "failed", "rejected"):
            endpoints.setdefault(ep["VpcId"], []).append(ep["ServiceName"])
    for v in paginate(ec2, "DescribeVpcs", "Vpcs"):
        props = {"CidrBlock": v.get("CidrBlock"), "InstanceTenancy": v.get("InstanceTenancy"),
                 "IsDefault": v.get("IsDefault"), "State": v.get("State")}
        yield _resource(
            "AWS::EC2::VPC", scope, v["VpcId"], scope.arn("ec2", f"vpc/{v['VpcId']}"), props,
            tags=v.get("Tags"),
            facts={"endpoints": sorted(set(endpoints.get(v["VpcId"], []))),
                   "endpoints_derived_by": "ec2:DescribeVpcEndpoints: service names of the VPC's "
                                           "endpoints that are not deleted, failed or rejected"})


# ── Subnet ─────────────────────────────────────────────────────────────────────

def collect_subnets(scope: Scope) -> Iterator[Resource | CoverageGap]:
    ec2 = scope.client("ec2")
    explicit: dict[str, dict] = {}   # subnet id -> its associated route table
    main: dict[str, dict] = {}       # vpc id -> the main route table
    for rt in paginate(ec2, "DescribeRouteTables", "RouteTables"):
        for assoc in rt.get("Associations") or []:
            if assoc.get("Main"):
                main[rt["VpcId"]] = rt
            elif assoc.get("SubnetId"):
                explicit[assoc["SubnetId"]] = rt
    for s in paginate(ec2, "DescribeSubnets", "Subnets"):
        # A subnet with no explicit association uses its VPC's main route table.
        rt = explicit.get(s["SubnetId"]) or main.get(s["VpcId"])
        routes = [r for r in (rt or {}).get("Routes") or [] if r.get("State") != "blackhole"]
        props = {"VpcId": s["VpcId"], "CidrBlock": s.get("CidrBlock"),
                 "AvailabilityZone": s.get("AvailabilityZone"),
                 "MapPublicIpOnLaunch": s.get("MapPublicIpOnLaunch", False)}
        facts = {
            "routes_to_internet_gateway": any((r.get("GatewayId") or "").startswith("igw-") for r in routes),
            "routes_to_nat_gateway": any(r.get("NatGatewayId") for r in routes),
            "route_table_id": (rt or {}).get("RouteTableId"),
            "derived_by": "ec2:DescribeRouteTables: the subnet's associated route table, else the "
                          "VPC's main one; active routes whose target is an igw-/NAT gateway",
        }
        yield _resource("AWS::EC2::Subnet", scope, s["SubnetId"],
                        s.get("SubnetArn") or scope.arn("ec2", f"subnet/{s['SubnetId']}"), props,
                        tags=s.get("Tags"), facts=compact(facts), relations={"vpc": [s["VpcId"]]})


# ── Security group ─────────────────────────────────────────────────────────────

def ingress_rules(permissions: list[dict], *, egress: bool = False) -> list[dict]:
    """IpPermissions → CloudFormation SecurityGroupIngress (or, with `egress`,
    SecurityGroupEgress): one entry per source or destination."""
    group_key, list_key = (("DestinationSecurityGroupId", "DestinationPrefixListId") if egress
                           else ("SourceSecurityGroupId", "SourcePrefixListId"))
    rules = []
    for p in permissions or []:
        base = {"IpProtocol": p.get("IpProtocol"), "FromPort": p.get("FromPort"), "ToPort": p.get("ToPort")}
        for r in p.get("IpRanges") or []:
            rules.append({**base, "CidrIp": r["CidrIp"], "Description": r.get("Description")})
        for r in p.get("Ipv6Ranges") or []:
            rules.append({**base, "CidrIpv6": r["CidrIpv6"], "Description": r.get("Description")})
        for r in p.get("UserIdGroupPairs") or []:
            owner = {} if egress else {"SourceSecurityGroupOwnerId": r.get("UserId")}
            rules.append({**base, group_key: r.get("GroupId"), **owner, "Description": r.get("Description")})
        for r in p.get("PrefixListIds") or []:
            rules.append({**base, list_key: r["PrefixListId"], "Description": r.get("Description")})
    return compact(rules)


def normalise_security_group(g: dict, scope: Scope) -> Shape:
    ingress = ingress_rules(g.get("IpPermissions"))
    open_rules = [r for r in ingress if r.get("CidrIp") in WORLD or r.get("CidrIpv6") in WORLD]
    props = {"GroupName": g.get("GroupName"), "GroupDescription": g.get("Description"),
             "VpcId": g.get("VpcId"), "SecurityGroupIngress": ingress,
             "SecurityGroupEgress": ingress_rules(g.get("IpPermissionsEgress"), egress=True)}
    return Shape(id=g["GroupId"], arn=scope.arn("ec2", f"security-group/{g['GroupId']}"),
                 properties=props, tags=tag_list_to_dict(g.get("Tags")),
                 facts={"open_to_world": bool(open_rules), "open_to_world_ingress": open_rules,
                        "derived_by": "ingress entries whose source is 0.0.0.0/0 or ::/0"},
                 relations={"vpc": [g["VpcId"]]} if g.get("VpcId") else {})


# ── VPC endpoint ───────────────────────────────────────────────────────────────

def normalise_endpoint(e: dict, scope: Scope) -> Shape:
    props = {"VpcId": e["VpcId"], "ServiceName": e["ServiceName"], "VpcEndpointType": e.get("VpcEndpointType"),
             "PrivateDnsEnabled": e.get("PrivateDnsEnabled"), "SubnetIds": e.get("SubnetIds") or [],
             "SecurityGroupIds": [g["GroupId"] for g in e.get("Groups") or []],
             "RouteTableIds": e.get("RouteTableIds") or [], "State": e.get("State"),
             "PolicyDocument": _policy(e.get("PolicyDocument"))}
    return Shape(id=e["VpcEndpointId"], arn=scope.arn("ec2", f"vpc-endpoint/{e['VpcEndpointId']}"),
                 properties=props, tags=tag_list_to_dict(e.get("Tags")),
                 relations={k: v for k, v in {"vpc": [e["VpcId"]], "subnets": props["SubnetIds"],
                                              "security_groups": props["SecurityGroupIds"]}.items() if v})


def _policy(text: str | None) -> dict | None:
    return json.loads(text) if text else None


register(
    CollectorSpec(type="AWS::EC2::VPC", service="ec2", iam_prefix="ec2", custom=collect_vpcs,
                  facets=(ML_USAGE,),
                  extra_permissions=("ec2:DescribeVpcs", "ec2:DescribeVpcEndpoints"),
                  description="VPCs with the service names of their VPC endpoints"),
    CollectorSpec(type="AWS::EC2::Subnet", service="ec2", iam_prefix="ec2", custom=collect_subnets,
                  extra_permissions=("ec2:DescribeSubnets", "ec2:DescribeRouteTables"), relations=(vpc("VpcId"),),
                  description="Subnets and whether their route table reaches an internet gateway"),
    CollectorSpec(type="AWS::EC2::SecurityGroup", service="ec2", iam_prefix="ec2",
                  list_call=ListCall(operation="DescribeSecurityGroups", result_key="SecurityGroups"),
                  normalise=normalise_security_group, relations=(vpc("VpcId"),),
                  terraform=(TerraformType(name="aws_security_group"),),   # rules: scanner/iac/normalise.py
                  events=(CloudTrailEvent(name="AuthorizeSecurityGroupIngress",
                                          paths=("requestParameters.groupId",)),),
                  description="Security groups, their ingress rules and whether any is open to the world"),
    CollectorSpec(type="AWS::EC2::VPCEndpoint", service="ec2", iam_prefix="ec2",
                  list_call=ListCall(operation="DescribeVpcEndpoints", result_key="VpcEndpoints"),
                  normalise=normalise_endpoint,
                  relations=(vpc("VpcId"), subnets("SubnetIds[]"), security_groups("SecurityGroupIds[]")),
                  description="VPC endpoints (interface and gateway)"),
)
