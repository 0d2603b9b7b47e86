package mlwarden.network.notebook_direct_internet_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.notebook_direct_internet

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_when_absent": {"want": [{"msg": "notebook instance r1 has direct internet access (DirectInternetAccess is not set)", "path": ["properties", "DirectInternetAccess"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_enabled": {"want": [{"msg": "notebook instance r1 has direct internet access (DirectInternetAccess is Enabled)", "path": ["properties", "DirectInternetAccess"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DirectInternetAccess": "Enabled"}}}},
	"fails_on_lower_case": {"want": [{"msg": "notebook instance r1 sets DirectInternetAccess to disabled, which SageMaker does not accept (Enabled or Disabled)", "path": ["properties", "DirectInternetAccess"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DirectInternetAccess": "disabled"}}}},
	"passes": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DirectInternetAccess": "Disabled"}}}},
}

check(name) if testing.matches(notebook_direct_internet.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_enabled if check("fails_when_enabled")

test_fails_on_lower_case if check("fails_on_lower_case")

test_passes if check("passes")
