package mlwarden.encryption.monitoring_volume_kms_test

import rego.v1

import data.mlwarden.encryption.monitoring_volume_kms
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_schedule_inline_without_key": {
		"want": [{"msg": "monitoring schedule r1 has no customer-managed KMS key (MonitoringResources.ClusterConfig.VolumeKmsKeyId)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinition", "MonitoringResources", "ClusterConfig", "VolumeKmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"MonitoringOutputConfig": {}, "MonitoringResources": {"ClusterConfig": {}}}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_schedule_when_job_definition_unknown": {
		"want": [{"msg": "monitoring schedule r1: could not determine its job definition (neither inline nor resolved in facts.job_definition)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinitionName"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_schedule_resolved_with_aws_key": {
		"want": [{"msg": "monitoring schedule r1 uses the AWS managed key alias/aws/sagemaker instead of a customer-managed KMS key", "path": ["facts", "job_definition", "MonitoringResources", "ClusterConfig", "VolumeKmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}, "facts": {"job_definition": {"MonitoringOutputConfig": {"KmsKeyId": "alias/aws/s3"}, "MonitoringResources": {"ClusterConfig": {"VolumeKmsKeyId": "alias/aws/sagemaker"}}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_schedule_inline_with_key": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"MonitoringOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "MonitoringResources": {"ClusterConfig": {"VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_schedule_resolved_with_key": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}, "facts": {"job_definition": {"MonitoringOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "MonitoringResources": {"ClusterConfig": {"VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_data_quality_definition_without_key": {
		"want": [{"msg": "data quality job definition dataQuality-def has no customer-managed KMS key (MonitoringResources.ClusterConfig.VolumeKmsKeyId)", "path": ["properties", "JobResources", "ClusterConfig", "VolumeKmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_data_quality_definition_with_key": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_quality_definition_without_key": {
		"want": [{"msg": "model quality job definition modelQuality-def has no customer-managed KMS key (MonitoringResources.ClusterConfig.VolumeKmsKeyId)", "path": ["properties", "JobResources", "ClusterConfig", "VolumeKmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_quality_definition_with_key": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_bias_definition_without_key": {
		"want": [{"msg": "model bias job definition modelBias-def has no customer-managed KMS key (MonitoringResources.ClusterConfig.VolumeKmsKeyId)", "path": ["properties", "JobResources", "ClusterConfig", "VolumeKmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_bias_definition_with_key": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_explainability_definition_without_key": {
		"want": [{"msg": "model explainability job definition modelExplainability-def has no customer-managed KMS key (MonitoringResources.ClusterConfig.VolumeKmsKeyId)", "path": ["properties", "JobResources", "ClusterConfig", "VolumeKmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"InstanceCount": 1}}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_model_explainability_definition_with_key": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"JobResources": {"ClusterConfig": {"VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(monitoring_volume_kms.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_schedule_inline_without_key if check("fails_schedule_inline_without_key")

test_fails_schedule_when_job_definition_unknown if check("fails_schedule_when_job_definition_unknown")

test_fails_schedule_resolved_with_aws_key if check("fails_schedule_resolved_with_aws_key")

test_passes_schedule_inline_with_key if check("passes_schedule_inline_with_key")

test_passes_schedule_resolved_with_key if check("passes_schedule_resolved_with_key")

test_fails_data_quality_definition_without_key if check("fails_data_quality_definition_without_key")

test_passes_data_quality_definition_with_key if check("passes_data_quality_definition_with_key")

test_fails_model_quality_definition_without_key if check("fails_model_quality_definition_without_key")

test_passes_model_quality_definition_with_key if check("passes_model_quality_definition_with_key")

test_fails_model_bias_definition_without_key if check("fails_model_bias_definition_without_key")

test_passes_model_bias_definition_with_key if check("passes_model_bias_definition_with_key")

test_fails_model_explainability_definition_without_key if check("fails_model_explainability_definition_without_key")

test_passes_model_explainability_definition_with_key if check("passes_model_explainability_definition_with_key")
