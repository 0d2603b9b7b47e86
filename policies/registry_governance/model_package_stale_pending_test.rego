package mlwarden.registry_governance.model_package_stale_pending_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.model_package_stale_pending

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_stale": {
		"want": [{"msg": "model package r1 has waited 45 days for approval (limit 30)", "path": ["facts", "age_days"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "PendingManualApproval"}, "facts": {"age_days": 45.5}}},
		"settings": {"stale_pending_days": 30},
	},
	"fails_age_unknown": {
		"want": [{"msg": "model package r1: could not determine how long it has been pending (facts.age_days is missing)", "path": ["facts", "age_days"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "PendingManualApproval"}}},
		"settings": {"stale_pending_days": 30},
	},
	"passes_recent": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "PendingManualApproval"}, "facts": {"age_days": 3}}},
		"settings": {"stale_pending_days": 30},
	},
	"passes_approved_old": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"age_days": 300}}},
		"settings": {"stale_pending_days": 30},
	},
}

check(name) if testing.matches(model_package_stale_pending.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_stale if check("fails_stale")

test_fails_age_unknown if check("fails_age_unknown")

test_passes_recent if check("passes_recent")

test_passes_approved_old if check("passes_approved_old")
