package mlwarden.network.notebook_vpc_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.notebook_vpc

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_subnet": {"want": [{"msg": "notebook instance r1 is not launched in a VPC (no SubnetId)", "path": ["properties", "SubnetId"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_with_empty_subnet": {"want": [{"msg": "notebook instance r1 is not launched in a VPC (no SubnetId)", "path": ["properties", "SubnetId"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"SubnetId": ""}}}},
	"passes_with_subnet": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"SubnetId": "subnet-0abc"}}}},
}

check(name) if testing.matches(notebook_vpc.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_subnet if check("fails_without_subnet")

test_fails_with_empty_subnet if check("fails_with_empty_subnet")

test_passes_with_subnet if check("passes_with_subnet")
