package mlwarden.least_privilege.lifecycle_config_no_secrets_test

import rego.v1

import data.mlwarden.least_privilege.lifecycle_config_no_secrets
import data.mlwarden.lib.testing

lc(facts) := {"resource": {
	"type": "AWS::SageMaker::NotebookInstanceLifecycleConfig", "id": "r1", "account": "111122223333",
	"region": "eu-west-1", "facts": facts,
	"properties": {"OnCreate": [{"Content": "[redacted:0123456789ab]"}], "OnStart": [{"Content": "[redacted:ba9876543210]"}]},
}}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_per_hook_naming_lines_and_kinds": {
		"want": [
			{"msg": "notebook lifecycle configuration r1 has hard-coded secrets in its OnStart script: Secret Keyword (line 2), AWS Access Key (line 3)", "path": ["properties", "OnStart", 0, "Content"]},
			{"msg": "notebook lifecycle configuration r1 has hard-coded secrets in its OnCreate script: Secret Name (line 7)", "path": ["properties", "OnCreate", 0, "Content"]},
		],
		"input": lc({"secret_findings": [
			{"path": "properties.OnStart.0.Content", "line": 3, "detector": "AWS Access Key"},
			{"path": "properties.OnStart.0.Content", "line": 2, "detector": "Secret Keyword"},
			{"path": "properties.OnCreate.0.Content", "line": 7, "detector": "Secret Name"},
		]}),
	},
	"fails_on_two_kinds_on_one_line": {
		"want": [{"msg": "notebook lifecycle configuration r1 has hard-coded secrets in its OnStart script: AWS Access Key (line 1), Secret Keyword (line 1)", "path": ["properties", "OnStart", 0, "Content"]}],
		"input": lc({"secret_findings": [
			{"path": "properties.OnStart.0.Content", "line": 1, "detector": "Secret Keyword"},
			{"path": "properties.OnStart.0.Content", "line": 1, "detector": "AWS Access Key"},
		]}),
	},
	"passes_without_findings": {"want": [], "input": lc({})},
	"passes_with_empty_findings": {"want": [], "input": lc({"secret_findings": []})},
	# A verdict elsewhere on the document is not about a script (and no other property holds one).
	"ignores_findings_outside_the_scripts": {"want": [], "input": lc({"secret_findings": [{"path": "properties.NotebookInstanceLifecycleConfigName", "detector": "Secret Keyword"}]})},
}

check(name) if testing.matches(lifecycle_config_no_secrets.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_per_hook_naming_lines_and_kinds if check("fails_per_hook_naming_lines_and_kinds")

test_fails_on_two_kinds_on_one_line if check("fails_on_two_kinds_on_one_line")

test_passes_without_findings if check("passes_without_findings")

test_passes_with_empty_findings if check("passes_with_empty_findings")

test_ignores_findings_outside_the_scripts if check("ignores_findings_outside_the_scripts")
