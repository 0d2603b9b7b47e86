package mlwarden.monitoring.notebook_supported_platform_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.notebook_supported_platform

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_notebook_old_platform": {
		"want": [{"msg": "notebook instance nb runs on notebook-al1-v1, not a supported platform (settings.supported_notebook_platforms: notebook-al2023-v1)", "path": ["properties", "PlatformIdentifier"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "nb", "account": "111122223333", "region": "eu-west-1", "properties": {"PlatformIdentifier": "notebook-al1-v1"}}},
		"settings": {"supported_notebook_platforms": ["notebook-al2023-v1"]},
	},
	"fails_notebook_platform_unknown": {
		"want": [{"msg": "notebook instance nb: could not determine its platform (PlatformIdentifier)", "path": ["properties", "PlatformIdentifier"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "nb", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {"supported_notebook_platforms": ["notebook-al2023-v1"]},
	},
	"passes_notebook_supported_platform": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "nb", "account": "111122223333", "region": "eu-west-1", "properties": {"PlatformIdentifier": "notebook-al2023-v1"}}},
		"settings": {"supported_notebook_platforms": ["notebook-al2023-v1"]},
	},
}

check(name) if testing.matches(notebook_supported_platform.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_notebook_old_platform if check("fails_notebook_old_platform")

test_fails_notebook_platform_unknown if check("fails_notebook_platform_unknown")

test_passes_notebook_supported_platform if check("passes_notebook_supported_platform")
