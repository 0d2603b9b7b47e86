package mlwarden.monitoring.production_endpoint_data_capture_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.production_endpoint_data_capture

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_config_without_capture": {
		"want": [{"msg": "production endpoint fraud does not capture inference data (DataCaptureConfig.EnableCapture)", "path": ["properties", "DataCaptureConfig", "EnableCapture"]}], "input": {
			"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "prod"}},
			"related": {"endpoint_config": [{"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}]}, "tags": {"environment": "prod"}}]},
		},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_capture_disabled": {
		"want": [{"msg": "production endpoint fraud does not capture inference data (DataCaptureConfig.EnableCapture)", "path": ["properties", "DataCaptureConfig", "EnableCapture"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "DataCaptureConfig": {"EnableCapture": false}}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_config_unknown": {
		"want": [{"msg": "production endpoint fraud: could not determine its data capture (endpoint configuration not read)", "path": ["related", "endpoint_config"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_described_capture": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "DataCaptureConfig": {"EnableCapture": true, "CaptureStatus": "Started"}}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_config_capture": {
		"want": [], "input": {
			"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "prod"}},
			"related": {"endpoint_config": [{"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}], "DataCaptureConfig": {"EnableCapture": true, "DestinationS3Uri": "s3://cap/"}}, "tags": {"environment": "prod"}}]},
		},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_non_production": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "dev"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
}

check(name) if testing.matches(production_endpoint_data_capture.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_config_without_capture if check("fails_config_without_capture")

test_fails_capture_disabled if check("fails_capture_disabled")

test_fails_config_unknown if check("fails_config_unknown")

test_passes_described_capture if check("passes_described_capture")

test_passes_config_capture if check("passes_config_capture")

test_passes_non_production if check("passes_non_production")
