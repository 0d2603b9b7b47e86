package mlwarden.network.notebook_vpc_test

import rego.v1

import data.mlwarden.network.notebook_vpc

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_subnet": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_with_empty_subnet": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"SubnetId": ""}}}},
	"passes_with_subnet": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"SubnetId": "subnet-0abc"}}}},
}

check(name) if count(notebook_vpc.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_subnet if check("fails_without_subnet")

test_fails_with_empty_subnet if check("fails_with_empty_subnet")

test_passes_with_subnet if check("passes_with_subnet")
