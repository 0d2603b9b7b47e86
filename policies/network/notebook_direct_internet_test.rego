package mlwarden.network.notebook_direct_internet_test

import rego.v1

import data.mlwarden.network.notebook_direct_internet

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_when_absent": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_enabled": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DirectInternetAccess": "Enabled"}}}},
	"passes": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DirectInternetAccess": "Disabled"}}}},
}

check(name) if count(notebook_direct_internet.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_enabled if check("fails_when_enabled")

test_passes if check("passes")
