"""VPC, subnet, security group and VPC endpoint collectors against in-process moto."""
from __future__ import annotations

import boto3

from mlwarden.collectors.base import collect_spec, registry

from ..conftest import REGION


def spec(type_):
    return registry()[type_]


def network():
    """A VPC with a public subnet (own route table → IGW), a private subnet that falls
    back to the main route table (no IGW), an S3 gateway endpoint and a SageMaker
    interface endpoint."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "ml"}]}])["Vpc"]["VpcId"]
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.2.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rt, SubnetId=public)
    s3_ep = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3",
                                    VpcEndpointType="Gateway", RouteTableIds=[rt])["VpcEndpoint"]
    sm_ep = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.sagemaker.api",
                                    VpcEndpointType="Interface", SubnetIds=[private])["VpcEndpoint"]
    return {"vpc": vpc, "public": public, "private": private, "rt": rt,
            "s3_ep": s3_ep["VpcEndpointId"], "sm_ep": sm_ep["VpcEndpointId"]}


def test_vpc_lists_its_endpoint_services(aws, scope):
    net = network()
    result = collect_spec(spec("AWS::EC2::VPC"), scope)
    assert result.gaps == []
    vpc = {r.id: r for r in result.resources}[net["vpc"]]
    assert vpc.properties["CidrBlock"] == "10.1.0.0/16"
    assert vpc.tags == {"Name": "ml"}
    assert vpc.facts["endpoints"] == [f"com.amazonaws.{REGION}.s3", f"com.amazonaws.{REGION}.sagemaker.api"]


def test_subnet_routes_to_internet_through_own_table_or_main_table(aws, scope):
    net = network()
    subnets = {r.id: r for r in collect_spec(spec("AWS::EC2::Subnet"), scope).resources}
    public, private = subnets[net["public"]], subnets[net["private"]]
    assert public.facts["routes_to_internet_gateway"] is True
    assert public.facts["route_table_id"] == net["rt"]
    assert private.facts["routes_to_internet_gateway"] is False
    assert private.facts["route_table_id"] != net["rt"]  # the VPC's main table
    assert private.relations == {"vpc": [net["vpc"]]}

    # Point the main route table at the internet: the private subnet now reaches it too.
    ec2 = boto3.client("ec2", region_name=REGION)
    igw = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    ec2.create_route(RouteTableId=private.facts["route_table_id"], DestinationCidrBlock="0.0.0.0/0",
                     GatewayId=igw)
    subnets = {r.id: r for r in collect_spec(spec("AWS::EC2::Subnet"), scope).resources}
    assert subnets[net["private"]].facts["routes_to_internet_gateway"] is True


def test_security_group_ingress_in_cloudformation_shape(aws, scope):
    net = network()
    ec2 = boto3.client("ec2", region_name=REGION)
    open_sg = ec2.create_security_group(GroupName="open", Description="open", VpcId=net["vpc"])["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=open_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
         "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "0.0.0.0/0", "Description": "ssh"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])
    inner = ec2.create_security_group(GroupName="inner", Description="inner", VpcId=net["vpc"])["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=inner, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.1.0.0/16"}],
         "UserIdGroupPairs": [{"GroupId": open_sg}]}])

    groups = {r.id: r for r in collect_spec(spec("AWS::EC2::SecurityGroup"), scope).resources}
    sg = groups[open_sg]
    assert sg.properties["GroupName"] == "open" and sg.properties["VpcId"] == net["vpc"]
    assert sorted(sg.properties["SecurityGroupIngress"], key=str) == sorted([
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0", "Description": "ssh"},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"}], key=str)
    assert sg.facts["open_to_world"] is True
    assert len(sg.facts["open_to_world_ingress"]) == 2
    assert groups[inner].facts["open_to_world"] is False
    assert {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "SourceSecurityGroupId": open_sg,
            "SourceSecurityGroupOwnerId": "123456789012"} in groups[inner].properties["SecurityGroupIngress"]


def test_vpc_endpoints(aws, scope):
    net = network()
    eps = {r.id: r for r in collect_spec(spec("AWS::EC2::VPCEndpoint"), scope).resources}
    sm = eps[net["sm_ep"]]
    assert sm.properties["VpcId"] == net["vpc"]
    assert sm.properties["ServiceName"] == f"com.amazonaws.{REGION}.sagemaker.api"
    assert sm.properties["VpcEndpointType"] == "Interface"
    assert sm.relations["subnets"] == [net["private"]]
    assert eps[net["s3_ep"]].properties["VpcEndpointType"] == "Gateway"
