package mlwarden.encryption.monitoring_inter_container_encryption_test

import rego.v1

import data.mlwarden.encryption.monitoring_inter_container_encryption

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_inline_without_encryption": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {}}}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_unknown_job_definition": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality"}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_inline": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_resolved": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality"}}, "facts": {"job_definition": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if count(monitoring_inter_container_encryption.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_inline_without_encryption if check("fails_inline_without_encryption")

test_fails_unknown_job_definition if check("fails_unknown_job_definition")

test_passes_inline if check("passes_inline")

test_passes_resolved if check("passes_resolved")
