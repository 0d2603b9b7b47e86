package mlwarden.network.model_vpc_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.model_vpc

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_vpc": {"want": [{"msg": "model r1 does not run in a VPC (no VpcConfig.Subnets)", "path": ["properties", "VpcConfig", "Subnets"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_without_security_groups": {"want": [{"msg": "model r1 names no security groups (VpcConfig.SecurityGroupIds)", "path": ["properties", "VpcConfig", "SecurityGroupIds"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"VpcConfig": {"Subnets": ["subnet-1"]}}}}},
	"passes_with_vpc": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}}}},
}

check(name) if testing.matches(model_vpc.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_vpc if check("fails_without_vpc")

test_fails_without_security_groups if check("fails_without_security_groups")

test_passes_with_vpc if check("passes_with_vpc")
