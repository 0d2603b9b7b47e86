package mlwarden.network.ml_private_subnets_test

import rego.v1

import data.mlwarden.network.ml_private_subnets

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_public_subnet": {"want": 1, "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"subnets": [{"type": "AWS::EC2::Subnet", "id": "subnet-1", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": false}, "facts": {"routes_to_internet_gateway": true}}]},
	}},
	"fails_public_ip_subnet": {"want": 1, "input": {
		"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"subnets": [{"type": "AWS::EC2::Subnet", "id": "subnet-1", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": true}, "facts": {"routes_to_internet_gateway": false}}]},
	}},
	"fails_unknown_routing": {"want": 1, "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"subnets": [{"type": "AWS::EC2::Subnet", "id": "subnet-1", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": false}}]},
	}},
	"fails_unread_subnet": {"want": 1, "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related_missing": {"subnets": ["subnet-9"]},
	}},
	"passes_private_subnets": {"want": 0, "input": {
		"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"subnets": [{"type": "AWS::EC2::Subnet", "id": "subnet-1", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": false}, "facts": {"routes_to_internet_gateway": false}}, {"type": "AWS::EC2::Subnet", "id": "subnet-2", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": false}, "facts": {"routes_to_internet_gateway": false}}]},
	}},
}

check(name) if count(ml_private_subnets.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_public_subnet if check("fails_public_subnet")

test_fails_public_ip_subnet if check("fails_public_ip_subnet")

test_fails_unknown_routing if check("fails_unknown_routing")

test_fails_unread_subnet if check("fails_unread_subnet")

test_passes_private_subnets if check("passes_private_subnets")
