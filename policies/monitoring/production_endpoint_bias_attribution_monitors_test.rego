package mlwarden.monitoring.production_endpoint_bias_attribution_monitors_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.production_endpoint_bias_attribution_monitors

production := {"tag": "environment", "values": ["prod"]}

both := {"production": production, "drift": {"require_bias_monitor": true, "require_feature_attribution_monitor": true}}

bias_only := {"production": production, "drift": {"require_bias_monitor": true}}

endpoint(kinds) := {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "facts": {"drift_response": {"schedules": [{"name": k, "kind": k} | some k in kinds]}}}}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"passes_both_monitors": {"want": [], "settings": both, "input": endpoint(["DataQuality", "ModelBias", "ModelExplainability"])},
	"passes_bias_required_and_present": {"want": [], "settings": bias_only, "input": endpoint(["ModelBias"])},
	"passes_nothing_required": {"want": [], "settings": {"production": production}, "input": endpoint(["DataQuality"])},
	"fails_both_missing": {"want": [{"msg": "production endpoint fraud has no bias drift (ModelBias) monitoring schedule (settings.drift.require_bias_monitor)", "path": ["facts", "drift_response"]}, {"msg": "production endpoint fraud has no feature attribution drift (ModelExplainability) monitoring schedule (settings.drift.require_feature_attribution_monitor)", "path": ["facts", "drift_response"]}], "settings": both, "input": endpoint(["DataQuality"])},
	"fails_attribution_missing": {"want": [{"msg": "production endpoint fraud has no feature attribution drift (ModelExplainability) monitoring schedule (settings.drift.require_feature_attribution_monitor)", "path": ["facts", "drift_response"]}], "settings": both, "input": endpoint(["ModelBias"])},
	"fails_bias_missing": {"want": [{"msg": "production endpoint fraud has no bias drift (ModelBias) monitoring schedule (settings.drift.require_bias_monitor)", "path": ["facts", "drift_response"]}], "settings": bias_only, "input": endpoint(["ModelExplainability"])},
	"fails_schedules_unknown": {"want": [{"msg": "production endpoint fraud: could not determine its monitoring schedules (facts.drift_response is missing)", "path": ["facts", "drift_response"]}], "settings": bias_only, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "facts": {}}}},
}

check(name) if testing.matches(production_endpoint_bias_attribution_monitors.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_passes_both_monitors if check("passes_both_monitors")

test_passes_bias_required_and_present if check("passes_bias_required_and_present")

test_passes_nothing_required if check("passes_nothing_required")

test_fails_both_missing if check("fails_both_missing")

test_fails_attribution_missing if check("fails_attribution_missing")

test_fails_bias_missing if check("fails_bias_missing")

test_fails_schedules_unknown if check("fails_schedules_unknown")

test_nothing_required_is_out_of_scope if {
	not production_endpoint_bias_attribution_monitors.applies with input as cases.passes_nothing_required.input
		with data.mlwarden_settings as {"production": production}
}
