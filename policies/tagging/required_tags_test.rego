package mlwarden.tagging.required_tags_test

import rego.v1

import data.mlwarden.tagging.required_tags

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_tags": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"fails_with_empty_value": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"owner": "", "project": "fraud", "cost-center": "cc-42", "environment": "prod"}},
		},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"passes_with_all_tags": {
		"want": 0, "input": {
			"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"owner": "ml-platform", "project": "fraud", "cost-center": "cc-42", "environment": "prod"}},
		},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
}

check(name) if count(required_tags.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_tags if check("fails_without_tags")

test_fails_with_empty_value if check("fails_with_empty_value")

test_passes_with_all_tags if check("passes_with_all_tags")
