package mlwarden.monitoring.production_endpoint_drift_constraints_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.production_endpoint_drift_constraints

settings := {"production": {"tag": "environment", "values": ["prod"]}}

dq := {"name": "fraud-dq", "kind": "DataQuality", "constraints": "s3://lake/c.json", "alarms": [], "acts": []}

endpoint(schedules, configs) := {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "facts": {"drift_response": {"schedules": schedules}, "drift_constraints": configs}}}

config(dist) := {"uri": "s3://lake/c.json", "emit_metrics": "Enabled", "evaluate_constraints": "Enabled", "distribution_constraints": dist}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"passes_ten_percent": {"want": [], "settings": settings, "input": endpoint([dq], {"fraud-dq": config({"perform_comparison": "Enabled", "comparison_threshold": 0.1})})},
	"passes_model_monitor_default": {"want": [], "settings": settings, "input": endpoint([dq], {"fraud-dq": {"uri": "s3://lake/c.json", "distribution_constraints": {}}})},
	"passes_no_baseline_out_of_scope": {"want": [], "settings": settings, "input": endpoint([object.remove(dq, ["constraints"])], {})},
	"passes_own_threshold": {"want": [], "settings": object.union(settings, {"drift": {"feature_drift_threshold_percent": 30}}), "input": endpoint([dq], {"fraud-dq": config({"comparison_threshold": 0.3})})},
	"fails_lax_threshold": {"want": [{"msg": "production endpoint fraud: the baseline of schedule fraud-dq reports drift only from a distance of 30 % (comparison_threshold), above the organisation's 15 % (settings.drift.feature_drift_threshold_percent)", "path": ["facts", "drift_constraints"]}], "settings": settings, "input": endpoint([dq], {"fraud-dq": config({"comparison_threshold": 0.3})})},
	"fails_no_metrics": {"want": [{"msg": "production endpoint fraud: the baseline of schedule fraud-dq sets emit_metrics Disabled", "path": ["facts", "drift_constraints"]}], "settings": settings, "input": endpoint([dq], {"fraud-dq": object.union(config({}), {"emit_metrics": "Disabled"})})},
	"fails_no_comparison": {"want": [{"msg": "production endpoint fraud: the baseline of schedule fraud-dq does not compare feature distributions (distribution_constraints.perform_comparison Disabled)", "path": ["facts", "drift_constraints"]}], "settings": settings, "input": endpoint([dq], {"fraud-dq": config({"perform_comparison": "Disabled"})})},
	"fails_threshold_not_number": {"want": [{"msg": "production endpoint fraud: the baseline of schedule fraud-dq has a comparison_threshold that is not a number", "path": ["facts", "drift_constraints"]}], "settings": settings, "input": endpoint([dq], {"fraud-dq": config({"comparison_threshold": "0.1"})})},
	"fails_constraints_unknown": {"want": [{"msg": "production endpoint fraud: could not determine its monitors' baseline constraints (facts.drift_constraints is missing)", "path": ["facts", "drift_constraints"]}], "settings": settings, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "facts": {"drift_response": {"schedules": [dq]}}}}},
}

check(name) if testing.matches(production_endpoint_drift_constraints.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_passes_ten_percent if check("passes_ten_percent")

test_passes_model_monitor_default if check("passes_model_monitor_default")

test_passes_no_baseline_out_of_scope if check("passes_no_baseline_out_of_scope")

test_passes_own_threshold if check("passes_own_threshold")

test_fails_lax_threshold if check("fails_lax_threshold")

test_fails_no_metrics if check("fails_no_metrics")

test_fails_no_comparison if check("fails_no_comparison")

test_fails_threshold_not_number if check("fails_threshold_not_number")

test_fails_constraints_unknown if check("fails_constraints_unknown")

test_message_names_schedule_and_both_percentages if {
	msgs := {v.msg | some v in production_endpoint_drift_constraints.deny} with input as cases.fails_lax_threshold.input
		with data.mlwarden_settings as settings
	msgs == {"production endpoint fraud: the baseline of schedule fraud-dq reports drift only from a distance of 30 % (comparison_threshold), above the organisation's 15 % (settings.drift.feature_drift_threshold_percent)"}
}
