package mlwarden.network.security_group_world_ingress_test

import rego.v1

import data.mlwarden.network.security_group_world_ingress

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_ipv4_world": {"want": 1, "input": {"resource": {"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}}},
	"fails_ipv6_world": {"want": 1, "input": {"resource": {"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "-1", "CidrIpv6": "::/0"}]}}}},
	"fails_by_fact": {"want": 1, "input": {"resource": {"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"open_to_world": true}}}},
	"passes_private_ingress": {"want": 0, "input": {"resource": {"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "CidrIp": "10.0.0.0/8"}]}, "facts": {"open_to_world": false}}}},
}

check(name) if count(security_group_world_ingress.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_ipv4_world if check("fails_ipv4_world")

test_fails_ipv6_world if check("fails_ipv6_world")

test_fails_by_fact if check("fails_by_fact")

test_passes_private_ingress if check("passes_private_ingress")
