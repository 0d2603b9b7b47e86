package mlwarden.monitoring.production_endpoint_monitoring_schedule_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.production_endpoint_monitoring_schedule

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_schedule": {
		"want": [{"msg": "production endpoint fraud has no model monitoring schedule", "path": ["facts", "monitoring_schedules"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"monitoring_schedules": 0}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_with_empty_list": {
		"want": [{"msg": "production endpoint fraud has no model monitoring schedule", "path": ["facts", "monitoring_schedules"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"monitoring_schedules": []}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_unknown": {
		"want": [{"msg": "production endpoint fraud: could not determine its monitoring schedules (facts.monitoring_schedules is missing)", "path": ["facts", "monitoring_schedules"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_with_schedule": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"monitoring_schedules": ["fraud-dq"]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_with_count": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"monitoring_schedules": 2}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_non_production": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "dev"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
}

check(name) if testing.matches(production_endpoint_monitoring_schedule.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_schedule if check("fails_without_schedule")

test_fails_with_empty_list if check("fails_with_empty_list")

test_fails_unknown if check("fails_unknown")

test_passes_with_schedule if check("passes_with_schedule")

test_passes_with_count if check("passes_with_count")

test_passes_non_production if check("passes_non_production")
