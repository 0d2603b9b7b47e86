package mlwarden.network.ml_private_subnets_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.ml_private_subnets

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_public_subnet": {"want": [{"msg": "notebook instance r1 uses subnet subnet-1, which routes to an internet gateway", "path": ["related", "subnets", 0, "facts", "routes_to_internet_gateway"]}], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"subnets": [{"type": "AWS::EC2::Subnet", "id": "subnet-1", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": false}, "facts": {"routes_to_internet_gateway": true}}]},
	}},
	"fails_public_ip_subnet": {"want": [{"msg": "domain r1 uses subnet subnet-1, which assigns public IP addresses", "path": ["related", "subnets", 0, "properties", "MapPublicIpOnLaunch"]}], "input": {
		"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"subnets": [{"type": "AWS::EC2::Subnet", "id": "subnet-1", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": true}, "facts": {"routes_to_internet_gateway": false}}]},
	}},
	"fails_unknown_routing": {"want": [{"msg": "notebook instance r1: could not determine whether subnet subnet-1 routes to the internet", "path": ["related", "subnets", 0, "facts", "routes_to_internet_gateway"]}], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"subnets": [{"type": "AWS::EC2::Subnet", "id": "subnet-1", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": false}}]},
	}},
	"fails_unread_subnet": {"want": [{"msg": "notebook instance r1: could not read subnet subnet-9", "path": ["related_missing", "subnets", 0]}], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related_missing": {"subnets": ["subnet-9"]},
	}},
	"passes_private_subnets": {"want": [], "input": {
		"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"subnets": [{"type": "AWS::EC2::Subnet", "id": "subnet-1", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": false}, "facts": {"routes_to_internet_gateway": false}}, {"type": "AWS::EC2::Subnet", "id": "subnet-2", "account": "111122223333", "region": "eu-west-1", "properties": {"MapPublicIpOnLaunch": false}, "facts": {"routes_to_internet_gateway": false}}]},
	}},
}

check(name) if testing.matches(ml_private_subnets.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_public_subnet if check("fails_public_subnet")

test_fails_public_ip_subnet if check("fails_public_ip_subnet")

test_fails_unknown_routing if check("fails_unknown_routing")

test_fails_unread_subnet if check("fails_unread_subnet")

test_passes_private_subnets if check("passes_private_subnets")
