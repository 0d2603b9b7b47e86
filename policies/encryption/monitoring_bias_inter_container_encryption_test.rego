package mlwarden.encryption.monitoring_bias_inter_container_encryption_test

import rego.v1

import data.mlwarden.encryption.monitoring_bias_inter_container_encryption
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_model_bias_definition_two_instances_without_encryption": {
		"want": [{"msg": "model bias job definition modelBias-def runs on 2 instances without encrypting inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption)", "path": ["properties", "NetworkConfig", "EnableInterContainerTrafficEncryption"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 2}}, "NetworkConfig": {"EnableNetworkIsolation": true}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_bias_definition_without_instance_count": {
		"want": [{"msg": "model bias job definition modelBias-def has no numeric JobResources.ClusterConfig.InstanceCount: could not determine whether its containers talk to each other", "path": ["properties", "JobResources", "ClusterConfig", "InstanceCount"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_bias_definition_two_instances_encrypted": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 3}}, "NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_bias_definition_single_instance_not_applicable": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(monitoring_bias_inter_container_encryption.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_model_bias_definition_two_instances_without_encryption if check("fails_model_bias_definition_two_instances_without_encryption")

test_fails_model_bias_definition_without_instance_count if check("fails_model_bias_definition_without_instance_count")

test_passes_model_bias_definition_two_instances_encrypted if check("passes_model_bias_definition_two_instances_encrypted")

test_passes_model_bias_definition_single_instance_not_applicable if check("passes_model_bias_definition_single_instance_not_applicable")
