package mlwarden.monitoring.production_endpoint_drift_threshold_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.production_endpoint_drift_threshold

settings := {"production": {"tag": "environment", "values": ["prod"]}}

endpoint(schedules) := {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "properties": {"EndpointName": "fraud"}, "facts": {"drift_response": {"schedules": schedules}}}}

dq(alarms) := {"name": "fraud-dq", "kind": "DataQuality", "constraints": "s3://lake/c.json", "alarms": alarms, "acts": ["notification"]}

alarm(metric, threshold, comparison) := {"name": "fraud-drift", "metrics": [metric], "threshold": threshold, "comparison": comparison, "actions": []}

drift := "feature_baseline_drift_amount"

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"passes_ten_percent": {"want": [], "settings": settings, "input": endpoint([dq([alarm(drift, 0.1, "GreaterThanThreshold")])])},
	"passes_exactly_fifteen_percent": {"want": [], "settings": settings, "input": endpoint([dq([alarm(drift, 0.15, "GreaterThanOrEqualToThreshold")])])},
	"passes_own_threshold": {"want": [], "settings": object.union(settings, {"drift": {"feature_drift_threshold_percent": 30}}), "input": endpoint([dq([alarm(drift, 0.3, "GreaterThanThreshold")])])},
	"passes_no_data_quality_monitor_out_of_scope": {"want": [], "settings": settings, "input": endpoint([{"name": "fraud-mq", "kind": "ModelQuality", "alarms": []}])},
	"fails_lax_threshold": {"want": [{"msg": "production endpoint fraud: alarm fraud-drift fires only at a distance of 30 % from the baseline, above the organisation's 15 % (settings.drift.feature_drift_threshold_percent)", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([dq([alarm(drift, 0.3, "GreaterThanThreshold")])])},
	"fails_below_own_threshold": {"want": [{"msg": "production endpoint fraud: alarm fraud-drift fires only at a distance of 10 % from the baseline, above the organisation's 5 % (settings.drift.feature_drift_threshold_percent)", "path": ["facts", "drift_response"]}], "settings": object.union(settings, {"drift": {"feature_drift_threshold_percent": 5}}), "input": endpoint([dq([alarm(drift, 0.1, "GreaterThanThreshold")])])},
	"fails_falling_comparison": {"want": [{"msg": "production endpoint fraud: alarm fraud-drift compares drift with LessThanThreshold (it must alarm when the distance rises above its threshold)", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([dq([alarm(drift, 0.1, "LessThanThreshold")])])},
	"fails_threshold_not_number": {"want": [{"msg": "production endpoint fraud: alarm fraud-drift has no numeric threshold", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([dq([alarm(drift, "0.1", "GreaterThanThreshold")])])},
	"fails_only_other_metrics": {"want": [{"msg": "production endpoint fraud: no alarm watches a feature_baseline_drift metric of its data-quality schedule(s) fraud-dq, so feature drift has no threshold", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([dq([alarm("feature_non_null_amount", 0.1, "GreaterThanThreshold")])])},
	"fails_no_alarm": {"want": [{"msg": "production endpoint fraud: no alarm watches a feature_baseline_drift metric of its data-quality schedule(s) fraud-dq, so feature drift has no threshold", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([dq([])])},
	"fails_response_unknown": {"want": [{"msg": "production endpoint fraud: could not determine the alarms on its drift metrics (facts.drift_response is missing)", "path": ["facts", "drift_response"]}], "settings": settings, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "facts": {}}}},
}

check(name) if testing.matches(production_endpoint_drift_threshold.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_passes_ten_percent if check("passes_ten_percent")

test_passes_exactly_fifteen_percent if check("passes_exactly_fifteen_percent")

test_passes_own_threshold if check("passes_own_threshold")

test_passes_no_data_quality_monitor_out_of_scope if check("passes_no_data_quality_monitor_out_of_scope")

test_fails_lax_threshold if check("fails_lax_threshold")

test_fails_below_own_threshold if check("fails_below_own_threshold")

test_fails_falling_comparison if check("fails_falling_comparison")

test_fails_threshold_not_number if check("fails_threshold_not_number")

test_fails_only_other_metrics if check("fails_only_other_metrics")

test_fails_no_alarm if check("fails_no_alarm")

test_fails_response_unknown if check("fails_response_unknown")

test_message_names_alarm_and_both_percentages if {
	msgs := {v.msg | some v in production_endpoint_drift_threshold.deny} with input as cases.fails_lax_threshold.input
		with data.mlwarden_settings as settings
	msgs == {"production endpoint fraud: alarm fraud-drift fires only at a distance of 30 % from the baseline, above the organisation's 15 % (settings.drift.feature_drift_threshold_percent)"}
}
