package mlwarden.network.monitoring_vpc_test

import rego.v1

import data.mlwarden.network.monitoring_vpc

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_schedule_inline_without_vpc": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableNetworkIsolation": true}}}}}},
		"settings": {},
	},
	"fails_schedule_unknown_job_definition": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}}},
		"settings": {},
	},
	"fails_schedule_without_security_groups": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"]}}}}}}},
		"settings": {},
	},
	"passes_schedule_inline_in_vpc": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}}}},
		"settings": {},
	},
	"passes_schedule_resolved_in_vpc": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}, "facts": {"job_definition": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}}},
		"settings": {},
	},
	"fails_data_quality_definition_without_vpc": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {},
	},
	"passes_data_quality_definition_in_vpc": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}},
		"settings": {},
	},
	"fails_model_quality_definition_without_vpc": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {},
	},
	"passes_model_quality_definition_in_vpc": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}},
		"settings": {},
	},
	"fails_model_bias_definition_without_vpc": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {},
	},
	"passes_model_bias_definition_in_vpc": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}},
		"settings": {},
	},
	"fails_model_explainability_definition_without_vpc": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {},
	},
	"passes_model_explainability_definition_in_vpc": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}},
		"settings": {},
	},
}

check(name) if count(monitoring_vpc.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_schedule_inline_without_vpc if check("fails_schedule_inline_without_vpc")

test_fails_schedule_unknown_job_definition if check("fails_schedule_unknown_job_definition")

test_fails_schedule_without_security_groups if check("fails_schedule_without_security_groups")

test_passes_schedule_inline_in_vpc if check("passes_schedule_inline_in_vpc")

test_passes_schedule_resolved_in_vpc if check("passes_schedule_resolved_in_vpc")

test_fails_data_quality_definition_without_vpc if check("fails_data_quality_definition_without_vpc")

test_passes_data_quality_definition_in_vpc if check("passes_data_quality_definition_in_vpc")

test_fails_model_quality_definition_without_vpc if check("fails_model_quality_definition_without_vpc")

test_passes_model_quality_definition_in_vpc if check("passes_model_quality_definition_in_vpc")

test_fails_model_bias_definition_without_vpc if check("fails_model_bias_definition_without_vpc")

test_passes_model_bias_definition_in_vpc if check("passes_model_bias_definition_in_vpc")

test_fails_model_explainability_definition_without_vpc if check("fails_model_explainability_definition_without_vpc")

test_passes_model_explainability_definition_in_vpc if check("passes_model_explainability_definition_in_vpc")
