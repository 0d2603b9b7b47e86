package mlwarden.monitoring.notebook_idle_lifecycle_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.notebook_idle_lifecycle

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_lifecycle": {"want": [{"msg": "notebook instance r1 has no lifecycle configuration to stop it when idle (LifecycleConfigName)", "path": ["properties", "LifecycleConfigName"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"passes_with_lifecycle": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"LifecycleConfigName": "auto-stop-idle"}}}},
}

check(name) if testing.matches(notebook_idle_lifecycle.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_lifecycle if check("fails_without_lifecycle")

test_passes_with_lifecycle if check("passes_with_lifecycle")
