package mlwarden.encryption.monitoring_inter_container_encryption_test

import rego.v1

import data.mlwarden.encryption.monitoring_inter_container_encryption

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_schedule_inline_without_encryption": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {}}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_schedule_unknown_job_definition": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_schedule_inline": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_schedule_resolved": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}, "facts": {"job_definition": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_data_quality_definition_without_encryption": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_data_quality_definition_encrypted": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_quality_definition_without_encryption": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_quality_definition_encrypted": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_explainability_definition_without_encryption": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_explainability_definition_encrypted": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if count(monitoring_inter_container_encryption.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

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
