package mlwarden.monitoring.production_endpoint_autoscaling_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.production_endpoint_autoscaling

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_variant_without_scaling": {
		"want": [{"msg": "production endpoint fraud variant AllTraffic has no autoscaling", "path": ["facts", "autoscaling", "AllTraffic"]}], "input": {
			"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"autoscaling": {}}, "tags": {"environment": "prod"}},
			"related": {"endpoint_config": [{"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}]}, "tags": {"environment": "prod"}}]},
		},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_no_scaling_config_unread": {
		"want": [{"msg": "production endpoint fraud has no autoscaling on any variant", "path": ["facts", "autoscaling"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"autoscaling": {}}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_unknown": {
		"want": [{"msg": "production endpoint fraud: could not determine its autoscaling (facts.autoscaling is missing)", "path": ["facts", "autoscaling"]}], "input": {
			"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "prod"}},
			"related": {"endpoint_config": [{"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}]}, "tags": {"environment": "prod"}}]},
		},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_registered_false": {
		"want": [{"msg": "production endpoint fraud variant AllTraffic has no autoscaling", "path": ["facts", "autoscaling", "AllTraffic"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "ProductionVariants": [{"VariantName": "AllTraffic", "CurrentInstanceCount": 2}]}, "facts": {"autoscaling": {"AllTraffic": {"registered": false}}}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_scaled": {
		"want": [], "input": {
			"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "facts": {"autoscaling": {"AllTraffic": {"registered": true, "MinCapacity": 2, "MaxCapacity": 6}}}, "tags": {"environment": "prod"}},
			"related": {"endpoint_config": [{"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}]}, "tags": {"environment": "prod"}}]},
		},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_described_variant_scaled": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "ProductionVariants": [{"VariantName": "AllTraffic", "CurrentInstanceCount": 2}]}, "facts": {"autoscaling": {"AllTraffic": {"registered": true}}}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_non_production": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "dev"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
}

check(name) if testing.matches(production_endpoint_autoscaling.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_variant_without_scaling if check("fails_variant_without_scaling")

test_fails_no_scaling_config_unread if check("fails_no_scaling_config_unread")

test_fails_unknown if check("fails_unknown")

test_fails_registered_false if check("fails_registered_false")

test_passes_scaled if check("passes_scaled")

test_passes_described_variant_scaled if check("passes_described_variant_scaled")

test_passes_non_production if check("passes_non_production")
