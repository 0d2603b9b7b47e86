package mlwarden.service_limits.allowed_instance_types_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.service_limits.allowed_instance_types

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_notebook_type": {
		"want": [{"msg": "notebook instance r1 uses instance type ml.p4d.24xlarge, which is not in settings.allowed_instance_types", "path": ["properties", "InstanceType"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InstanceType": "ml.p4d.24xlarge"}}},
		"settings": {"allowed_instance_types": ["ml.m5.xlarge", "ml.g5.2xlarge"]},
	},
	"fails_endpoint_variant_type": {
		"want": [{"msg": "endpoint configuration r1 uses instance type ml.p5.48xlarge, which is not in settings.allowed_instance_types", "path": ["properties", "ProductionVariants", 1, "InstanceType"]}], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ProductionVariants": [{"InstanceType": "ml.m5.xlarge"}, {"InstanceType": "ml.p5.48xlarge"}]}}},
		"settings": {"allowed_instance_types": ["ml.m5.xlarge", "ml.g5.2xlarge"]},
	},
	"fails_training_type": {
		"want": [{"msg": "training job r1 uses instance type ml.p4d.24xlarge, which is not in settings.allowed_instance_types", "path": ["properties", "ResourceConfig", "InstanceType"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ResourceConfig": {"InstanceType": "ml.p4d.24xlarge"}}}},
		"settings": {"allowed_instance_types": ["ml.m5.xlarge", "ml.g5.2xlarge"]},
	},
	"passes_allowed_types": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge"}}}}},
		"settings": {"allowed_instance_types": ["ml.m5.xlarge", "ml.g5.2xlarge"]},
	},
	"passes_without_allow_list": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InstanceType": "ml.p4d.24xlarge"}}},
		"settings": {"allowed_instance_types": []},
	},
}

check(name) if testing.matches(allowed_instance_types.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_notebook_type if check("fails_notebook_type")

test_fails_endpoint_variant_type if check("fails_endpoint_variant_type")

test_fails_training_type if check("fails_training_type")

test_passes_allowed_types if check("passes_allowed_types")

test_passes_without_allow_list if check("passes_without_allow_list")
