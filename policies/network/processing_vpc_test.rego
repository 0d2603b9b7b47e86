package mlwarden.network.processing_vpc_test

import rego.v1

import data.mlwarden.network.processing_vpc

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_vpc": {"want": 1, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_without_security_groups": {"want": 1, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-1"]}}}}}},
	"passes_with_vpc": {"want": 0, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}}}}},
}

check(name) if count(processing_vpc.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_vpc if check("fails_without_vpc")

test_fails_without_security_groups if check("fails_without_security_groups")

test_passes_with_vpc if check("passes_with_vpc")
