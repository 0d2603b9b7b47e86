package mlwarden.network.ml_security_groups_not_open_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.ml_security_groups_not_open

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_open_by_fact": {"want": [{"msg": "notebook instance r1 uses security group sg-1, which admits traffic from the internet", "path": ["related", "security_groups", 0, "properties", "SecurityGroupIngress"]}], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"security_groups": [{"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "CidrIp": "10.0.0.0/8"}]}, "facts": {"open_to_world": true}}]},
	}},
	"fails_open_by_rule": {"want": [{"msg": "training job r1 uses security group sg-1, which admits traffic from the internet", "path": ["related", "security_groups", 0, "properties", "SecurityGroupIngress"]}], "input": {
		"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"security_groups": [{"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "CidrIp": "0.0.0.0/0"}]}, "facts": {"open_to_world": false}}]},
	}},
	"fails_unread_group": {"want": [{"msg": "notebook instance r1: could not read security group sg-9", "path": ["related_missing", "security_groups", 0]}], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related_missing": {"security_groups": ["sg-9"]},
	}},
	"passes_closed_groups": {"want": [], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"security_groups": [{"type": "AWS::EC2::SecurityGroup", "id": "sg-1", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "CidrIp": "10.0.0.0/8"}]}, "facts": {"open_to_world": false}}, {"type": "AWS::EC2::SecurityGroup", "id": "sg-2", "account": "111122223333", "region": "eu-west-1", "properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "CidrIp": "10.0.0.0/8"}]}, "facts": {"open_to_world": false}}]},
	}},
}

check(name) if testing.matches(ml_security_groups_not_open.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_open_by_fact if check("fails_open_by_fact")

test_fails_open_by_rule if check("fails_open_by_rule")

test_fails_unread_group if check("fails_unread_group")

test_passes_closed_groups if check("passes_closed_groups")
