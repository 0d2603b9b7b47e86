package mlwarden.monitoring.production_variant_instance_count_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.production_variant_instance_count

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_config_single_instance": {
		"want": [{"msg": "endpoint configuration fraud-v3 runs variant AllTraffic on 1 instance(s)", "path": ["properties", "ProductionVariants", 0, "InitialInstanceCount"]}], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 1}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_endpoint_single_instance": {
		"want": [{"msg": "endpoint fraud runs variant Canary on 1 instance(s)", "path": ["related", "endpoint_config", 0, "properties", "ProductionVariants", 1, "InitialInstanceCount"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "prod"}}, "related": {"endpoint_config": [{"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}, {"VariantName": "Canary", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 1}]}, "tags": {"environment": "prod"}}]}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_endpoint_config_unknown": {
		"want": [{"msg": "endpoint fraud: could not determine its production variants (endpoint configuration not read)", "path": ["related", "endpoint_config"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3"}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_endpoint_described_single_instance": {
		"want": [{"msg": "endpoint fraud runs variant AllTraffic on 1 instance(s)", "path": ["properties", "ProductionVariants", 0, "InitialInstanceCount"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "ProductionVariants": [{"VariantName": "AllTraffic", "CurrentInstanceCount": 1, "DesiredInstanceCount": 1}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_endpoint_described_two_instances": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "ProductionVariants": [{"VariantName": "AllTraffic", "CurrentInstanceCount": 2, "DesiredInstanceCount": 2}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_two_instances": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_serverless": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "Serverless", "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_non_production_by_default": {
		"want": [{"msg": "endpoint configuration fraud-v3 runs variant AllTraffic on 1 instance(s)", "path": ["properties", "ProductionVariants", 0, "InitialInstanceCount"]}], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 1}]}, "tags": {"environment": "dev"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_non_production_when_production_only": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "fraud-v3", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 1}]}, "tags": {"environment": "dev"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}, "production_only": ["MLW-MON-003"]},
	},
}

check(name) if testing.matches(production_variant_instance_count.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_config_single_instance if check("fails_config_single_instance")

test_fails_endpoint_single_instance if check("fails_endpoint_single_instance")

test_fails_endpoint_config_unknown if check("fails_endpoint_config_unknown")

test_fails_endpoint_described_single_instance if check("fails_endpoint_described_single_instance")

test_passes_endpoint_described_two_instances if check("passes_endpoint_described_two_instances")

test_passes_two_instances if check("passes_two_instances")

test_passes_serverless if check("passes_serverless")

test_fails_non_production_by_default if check("fails_non_production_by_default")

test_passes_non_production_when_production_only if check("passes_non_production_when_production_only")

# The production-only setting: a dev configuration is not judged at all.
test_non_production_not_applicable_when_production_only if {
	not production_variant_instance_count.applies with input as cases.passes_non_production_when_production_only.input with data.mlwarden_settings as cases.passes_non_production_when_production_only.settings
}
