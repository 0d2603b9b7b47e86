package mlwarden.network.security_group_world_ingress_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.security_group_world_ingress

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_ipv4_world": {"want": [{"msg": "security group sg-1 admits traffic from the internet: tcp from 0.0.0.0/0", "path": ["properties", "SecurityGroupIngress"]}], "input": {"resource": {"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}}},
	"fails_ipv6_world": {"want": [{"msg": "security group sg-1 admits traffic from the internet: -1 from ::/0", "path": ["properties", "SecurityGroupIngress"]}], "input": {"resource": {"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "-1", "CidrIpv6": "::/0"}]}}}},
	"fails_by_fact": {"want": [{"msg": "security group sg-1 is reachable from the internet (facts.open_to_world)", "path": ["facts", "open_to_world"]}], "input": {"resource": {"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"open_to_world": true}}}},
	"passes_private_ingress": {"want": [], "input": {"resource": {"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "CidrIp": "10.0.0.0/8"}]}, "facts": {"open_to_world": false}}}},
}

check(name) if testing.matches(security_group_world_ingress.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_ipv4_world if check("fails_ipv4_world")

test_fails_ipv6_world if check("fails_ipv6_world")

test_fails_by_fact if check("fails_by_fact")

test_passes_private_ingress if check("passes_private_ingress")
