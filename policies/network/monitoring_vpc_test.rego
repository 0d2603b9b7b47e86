package mlwarden.network.monitoring_vpc_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.monitoring_vpc

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_schedule_inline_without_vpc": {
		"want": [{"msg": "monitoring schedule r1 does not run its jobs in a VPC (no NetworkConfig.VpcConfig.Subnets)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinition", "NetworkConfig", "VpcConfig", "Subnets"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableNetworkIsolation": true}}}}}},
		"settings": {},
	},
	"fails_schedule_unknown_job_definition": {
		"want": [{"msg": "monitoring schedule r1: could not determine its job definition (neither inline nor resolved in facts.job_definition)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinitionName"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}}},
		"settings": {},
	},
	"fails_schedule_without_security_groups": {
		"want": [{"msg": "monitoring schedule r1 names no security groups (NetworkConfig.VpcConfig.SecurityGroupIds)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinition", "NetworkConfig", "VpcConfig", "SecurityGroupIds"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"]}}}}}}},
		"settings": {},
	},
	"passes_schedule_inline_in_vpc": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}}}},
		"settings": {},
	},
	"passes_schedule_resolved_in_vpc": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}, "facts": {"job_definition": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}}},
		"settings": {},
	},
	"fails_data_quality_definition_without_vpc": {
		"want": [{"msg": "data quality job definition dataQuality-def does not run its jobs in a VPC (no NetworkConfig.VpcConfig.Subnets)", "path": ["properties", "NetworkConfig", "VpcConfig", "Subnets"]}], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {},
	},
	"passes_data_quality_definition_in_vpc": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}},
		"settings": {},
	},
	"fails_model_quality_definition_without_vpc": {
		"want": [{"msg": "model quality job definition modelQuality-def does not run its jobs in a VPC (no NetworkConfig.VpcConfig.Subnets)", "path": ["properties", "NetworkConfig", "VpcConfig", "Subnets"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {},
	},
	"passes_model_quality_definition_in_vpc": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}},
		"settings": {},
	},
	"fails_model_bias_definition_without_vpc": {
		"want": [{"msg": "model bias job definition modelBias-def does not run its jobs in a VPC (no NetworkConfig.VpcConfig.Subnets)", "path": ["properties", "NetworkConfig", "VpcConfig", "Subnets"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {},
	},
	"passes_model_bias_definition_in_vpc": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}},
		"settings": {},
	},
	"fails_model_explainability_definition_without_vpc": {
		"want": [{"msg": "model explainability job definition modelExplainability-def does not run its jobs in a VPC (no NetworkConfig.VpcConfig.Subnets)", "path": ["properties", "NetworkConfig", "VpcConfig", "Subnets"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {},
	},
	"passes_model_explainability_definition_in_vpc": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"VpcConfig": {"Subnets": ["subnet-0a"], "SecurityGroupIds": ["sg-0a"]}}}}},
		"settings": {},
	},
}

check(name) if testing.matches(monitoring_vpc.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

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
