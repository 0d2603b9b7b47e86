package mlwarden.monitoring.production_endpoint_monitoring_schedule_test

import rego.v1

import data.mlwarden.monitoring.production_endpoint_monitoring_schedule

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_schedule": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"monitoring_schedules": 0}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_with_empty_list": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"monitoring_schedules": []}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_unknown": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_with_schedule": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"monitoring_schedules": ["fraud-dq"]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_with_count": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"monitoring_schedules": 2}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_non_production": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "dev"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
}

check(name) if count(production_endpoint_monitoring_schedule.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_schedule if check("fails_without_schedule")

test_fails_with_empty_list if check("fails_with_empty_list")

test_fails_unknown if check("fails_unknown")

test_passes_with_schedule if check("passes_with_schedule")

test_passes_with_count if check("passes_with_count")

test_passes_non_production if check("passes_non_production")
