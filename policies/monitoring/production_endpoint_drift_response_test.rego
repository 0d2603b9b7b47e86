package mlwarden.monitoring.production_endpoint_drift_response_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.production_endpoint_drift_response

settings := {"production": {"tag": "environment", "values": ["prod"]}}

endpoint(schedules) := {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "properties": {"EndpointName": "fraud"}, "facts": {"drift_response": {"schedules": schedules}}}}

baseline := "s3://lake/baselines/fraud/constraints.json"

alarm(actions) := {"name": "fraud-drift", "metrics": ["feature_baseline_drift_amount"], "threshold": 0.1, "comparison": "GreaterThanThreshold", "actions": actions}

retrain := {"arn": "arn:aws:sagemaker:eu-west-1:111122223333:pipeline/retrain", "kind": "retraining", "via": "rule fraud-drift-retrain"}

schedule(kind, constraints, alarms, acts) := {"name": "fraud-dq", "kind": kind, "constraints": constraints, "alarms": alarms, "acts": acts}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"passes_alarm_starts_retraining": {"want": [], "settings": settings, "input": endpoint([schedule("DataQuality", baseline, [alarm([retrain])], ["retraining"])])},
	"passes_model_quality_alarm_notifies": {"want": [], "settings": settings, "input": endpoint([schedule("ModelQuality", baseline, [alarm([])], ["notification"])])},
	"passes_one_quality_monitor_acts": {"want": [], "settings": settings, "input": endpoint([schedule("DataQuality", baseline, [alarm([])], []), schedule("ModelQuality", baseline, [alarm([retrain])], ["retraining"])])},
	"passes_not_production": {"want": [], "settings": settings, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "dev", "tags": {"environment": "dev"}, "facts": {}}}},
	"fails_alarm_without_actions": {"want": [{"msg": "production endpoint fraud: drift triggers nothing (alarm(s) fraud-drift on schedule fraud-dq start no retraining, notification or automation)", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([schedule("DataQuality", baseline, [alarm([])], [])])},
	"fails_no_alarm": {"want": [{"msg": "production endpoint fraud: drift triggers nothing (no CloudWatch alarm watches the metrics of schedule fraud-dq)", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([schedule("DataQuality", baseline, [], [])])},
	"fails_only_forwarded_elsewhere": {"want": [{"msg": "production endpoint fraud: drift triggers nothing (alarm(s) fraud-drift on schedule fraud-dq start no retraining, notification or automation)", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([schedule("DataQuality", baseline, [alarm([{"arn": "arn:aws:sqs:eu-west-1:111122223333:q", "kind": "other"}])], ["other"])])},
	"fails_acting_monitor_without_constraints": {"want": [{"msg": "production endpoint fraud: drift triggers nothing (schedule fraud-dq has no baseline constraints)", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([schedule("DataQuality", null, [alarm([retrain])], ["retraining"])])},
	"fails_only_bias_monitor": {"want": [{"msg": "production endpoint fraud has no data-quality or model-quality monitoring schedule: drift is not measured", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([schedule("ModelBias", baseline, [alarm([retrain])], ["retraining"])])},
	"fails_no_schedules": {"want": [{"msg": "production endpoint fraud has no data-quality or model-quality monitoring schedule: drift is not measured", "path": ["facts", "drift_response"]}], "settings": settings, "input": endpoint([])},
	"fails_response_unknown": {"want": [{"msg": "production endpoint fraud: could not determine what its monitors trigger (facts.drift_response is missing)", "path": ["facts", "drift_response"]}], "settings": settings, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "tags": {"environment": "prod"}, "facts": {}}}},
}

check(name) if testing.matches(production_endpoint_drift_response.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_passes_alarm_starts_retraining if check("passes_alarm_starts_retraining")

test_passes_model_quality_alarm_notifies if check("passes_model_quality_alarm_notifies")

test_passes_one_quality_monitor_acts if check("passes_one_quality_monitor_acts")

test_passes_not_production if check("passes_not_production")

test_fails_alarm_without_actions if check("fails_alarm_without_actions")

test_fails_no_alarm if check("fails_no_alarm")

test_fails_only_forwarded_elsewhere if check("fails_only_forwarded_elsewhere")

test_fails_acting_monitor_without_constraints if check("fails_acting_monitor_without_constraints")

test_fails_only_bias_monitor if check("fails_only_bias_monitor")

test_fails_no_schedules if check("fails_no_schedules")

test_fails_response_unknown if check("fails_response_unknown")

test_message_names_the_silent_alarm if {
	msgs := {v.msg | some v in production_endpoint_drift_response.deny} with input as cases.fails_alarm_without_actions.input
		with data.mlwarden_settings as settings
	msgs == {"production endpoint fraud: drift triggers nothing (alarm(s) fraud-drift on schedule fraud-dq start no retraining, notification or automation)"}
}
