package mlwarden.monitoring.notebook_idle_lifecycle_test

import rego.v1

import data.mlwarden.monitoring.notebook_idle_lifecycle

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_lifecycle": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"passes_with_lifecycle": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"LifecycleConfigName": "auto-stop-idle"}}}},
}

check(name) if count(notebook_idle_lifecycle.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_lifecycle if check("fails_without_lifecycle")

test_passes_with_lifecycle if check("passes_with_lifecycle")
