package mlwarden.network.notebook_root_access_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.notebook_root_access

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_when_absent": {"want": [{"msg": "notebook instance r1 gives users root access (RootAccess is not set)", "path": ["properties", "RootAccess"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_enabled": {"want": [{"msg": "notebook instance r1 gives users root access (RootAccess is Enabled)", "path": ["properties", "RootAccess"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"RootAccess": "Enabled"}}}},
	"fails_on_lower_case": {"want": [{"msg": "notebook instance r1 sets RootAccess to disabled, which SageMaker does not accept (Enabled or Disabled)", "path": ["properties", "RootAccess"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"RootAccess": "disabled"}}}},
	"passes": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"RootAccess": "Disabled"}}}},
}

check(name) if testing.matches(notebook_root_access.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_enabled if check("fails_when_enabled")

test_fails_on_lower_case if check("fails_on_lower_case")

test_passes if check("passes")
