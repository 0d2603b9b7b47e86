package mlwarden.encryption.monitoring_inter_container_encryption_test

import rego.v1

import data.mlwarden.encryption.monitoring_inter_container_encryption
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_schedule_inline_without_encryption": {
		"want": [{"msg": "monitoring schedule r1 does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinition", "NetworkConfig", "EnableInterContainerTrafficEncryption"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {}}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_schedule_unknown_job_definition": {
		"want": [{"msg": "monitoring schedule r1: could not determine its job definition (neither inline nor resolved in facts.job_definition)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinitionName"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_schedule_inline": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_schedule_resolved": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}, "facts": {"job_definition": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_data_quality_definition_without_encryption": {
		"want": [{"msg": "data quality job definition dataQuality-def does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption)", "path": ["properties", "NetworkConfig", "EnableInterContainerTrafficEncryption"]}], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_data_quality_definition_encrypted": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_quality_definition_without_encryption": {
		"want": [{"msg": "model quality job definition modelQuality-def does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption)", "path": ["properties", "NetworkConfig", "EnableInterContainerTrafficEncryption"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_quality_definition_encrypted": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_explainability_definition_without_encryption": {
		"want": [{"msg": "model explainability job definition modelExplainability-def does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption)", "path": ["properties", "NetworkConfig", "EnableInterContainerTrafficEncryption"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_explainability_definition_encrypted": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(monitoring_inter_container_encryption.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_schedule_inline_without_encryption if check("fails_schedule_inline_without_encryption")

test_fails_schedule_unknown_job_definition if check("fails_schedule_unknown_job_definition")

test_passes_schedule_inline if check("passes_schedule_inline")

test_passes_schedule_resolved if check("passes_schedule_resolved")

test_fails_data_quality_definition_without_encryption if check("fails_data_quality_definition_without_encryption")

test_passes_data_quality_definition_encrypted if check("passes_data_quality_definition_encrypted")

test_fails_model_quality_definition_without_encryption if check("fails_model_quality_definition_without_encryption")

test_passes_model_quality_definition_encrypted if check("passes_model_quality_definition_encrypted")

test_fails_model_explainability_definition_without_encryption if check("fails_model_explainability_definition_without_encryption")

test_passes_model_explainability_definition_encrypted if check("passes_model_explainability_definition_encrypted")
