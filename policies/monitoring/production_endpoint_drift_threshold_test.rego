package mlwarden.monitoring.production_endpoint_drift_threshold_test

import rego.v1

import data.mlwarden.monitoring.production_endpoint_drift_threshold

settings := {"production": {"tag": "environment", "values": ["prod"]}}

endpoint(schedules) := {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "properties": {"EndpointName": "fraud"}, "facts": {"drift_response": {"schedules": schedules}}}}

dq(alarms) := {"name": "fraud-dq", "kind": "DataQuality", "constraints": "s3://lake/c.json", "alarms": alarms, "acts": ["notification"]}

alarm(metric, threshold, comparison) := {"name": "fraud-drift", "metrics": [metric], "threshold": threshold, "comparison": comparison, "actions": []}

drift := "feature_baseline_drift_amount"

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"passes_ten_percent": {"want": 0, "settings": settings, "input": endpoint([dq([alarm(drift, 0.1, "GreaterThanThreshold")])])},
	"passes_exactly_fifteen_percent": {"want": 0, "settings": settings, "input": endpoint([dq([alarm(drift, 0.15, "GreaterThanOrEqualToThreshold")])])},
	"passes_own_threshold": {"want": 0, "settings": object.union(settings, {"drift": {"feature_drift_threshold_percent": 30}}), "input": endpoint([dq([alarm(drift, 0.3, "GreaterThanThreshold")])])},
	"passes_no_data_quality_monitor_out_of_scope": {"want": 0, "settings": settings, "input": endpoint([{"name": "fraud-mq", "kind": "ModelQuality", "alarms": []}])},
	"fails_lax_threshold": {"want": 1, "settings": settings, "input": endpoint([dq([alarm(drift, 0.3, "GreaterThanThreshold")])])},
	"fails_below_own_threshold": {"want": 1, "settings": object.union(settings, {"drift": {"feature_drift_threshold_percent": 5}}), "input": endpoint([dq([alarm(drift, 0.1, "GreaterThanThreshold")])])},
	"fails_falling_comparison": {"want": 1, "settings": settings, "input": endpoint([dq([alarm(drift, 0.1, "LessThanThreshold")])])},
	"fails_threshold_not_number": {"want": 1, "settings": settings, "input": endpoint([dq([alarm(drift, "0.1", "GreaterThanThreshold")])])},
	"fails_only_other_metrics": {"want": 1, "settings": settings, "input": endpoint([dq([alarm("feature_non_null_amount", 0.1, "GreaterThanThreshold")])])},
	"fails_no_alarm": {"want": 1, "settings": settings, "input": endpoint([dq([])])},
	"fails_response_unknown": {"want": 1, "settings": settings, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "facts": {}}}},
}

check(name) if count(production_endpoint_drift_threshold.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

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
	msgs := production_endpoint_drift_threshold.deny with input as cases.fails_lax_threshold.input
		with data.mlwarden_settings as settings
	msgs == {"production endpoint fraud: alarm fraud-drift fires only at a distance of 30 % from the baseline, above the organisation's 15 % (settings.drift.feature_drift_threshold_percent)"}
}
