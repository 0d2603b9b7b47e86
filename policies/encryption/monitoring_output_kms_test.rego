package mlwarden.encryption.monitoring_output_kms_test

import rego.v1

import data.mlwarden.encryption.monitoring_output_kms

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_inline_without_key": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"MonitoringOutputConfig": {}, "MonitoringResources": {"ClusterConfig": {}}}}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_when_job_definition_unknown": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality"}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_resolved_with_aws_key": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality"}}, "facts": {"job_definition": {"MonitoringOutputConfig": {"KmsKeyId": "alias/aws/s3"}, "MonitoringResources": {"ClusterConfig": {"VolumeKmsKeyId": "alias/aws/sagemaker"}}}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_inline_with_key": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"MonitoringOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "MonitoringResources": {"ClusterConfig": {"VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_resolved_with_key": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality"}}, "facts": {"job_definition": {"MonitoringOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "MonitoringResources": {"ClusterConfig": {"VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if count(monitoring_output_kms.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_inline_without_key if check("fails_inline_without_key")

test_fails_when_job_definition_unknown if check("fails_when_job_definition_unknown")

test_fails_resolved_with_aws_key if check("fails_resolved_with_aws_key")

test_passes_inline_with_key if check("passes_inline_with_key")

test_passes_resolved_with_key if check("passes_resolved_with_key")
