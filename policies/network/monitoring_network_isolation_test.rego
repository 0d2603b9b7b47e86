package mlwarden.network.monitoring_network_isolation_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.monitoring_network_isolation

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_schedule_without_isolation": {
		"want": [{"msg": "monitoring schedule r1 does not isolate its jobs from the network (NetworkConfig.EnableNetworkIsolation)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinition", "NetworkConfig", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableNetworkIsolation": false}}}}}},
		"settings": {},
	},
	"fails_schedule_unknown_job_definition": {
		"want": [{"msg": "monitoring schedule r1: could not determine its job definition (neither inline nor resolved in facts.job_definition)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinitionName"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}}},
		"settings": {},
	},
	"fails_schedule_unresolved_named_definition": {
		"want": [{"msg": "monitoring schedule r1: could not determine its job definition (no job definition dq in 111122223333/eu-west-1)", "path": ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinitionName"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}, "facts": {"job_definition_unresolved": "no job definition dq in 111122223333/eu-west-1"}}},
		"settings": {},
	},
	"passes_schedule_inline": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableNetworkIsolation": true}}}}}},
		"settings": {},
	},
	"passes_schedule_resolved": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinitionName": "dq"}}, "facts": {"job_definition": {"NetworkConfig": {"EnableNetworkIsolation": true}}}}},
		"settings": {},
	},
	"fails_data_quality_definition_without_isolation": {
		"want": [{"msg": "data quality job definition dataQuality-def does not isolate its jobs from the network (NetworkConfig.EnableNetworkIsolation)", "path": ["properties", "NetworkConfig", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {},
	},
	"passes_data_quality_definition_isolated": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dataQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableNetworkIsolation": true}}}},
		"settings": {},
	},
	"fails_model_quality_definition_without_isolation": {
		"want": [{"msg": "model quality job definition modelQuality-def does not isolate its jobs from the network (NetworkConfig.EnableNetworkIsolation)", "path": ["properties", "NetworkConfig", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {},
	},
	"passes_model_quality_definition_isolated": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelQualityJobDefinition", "id": "modelQuality-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableNetworkIsolation": true}}}},
		"settings": {},
	},
	"fails_model_bias_definition_without_isolation": {
		"want": [{"msg": "model bias job definition modelBias-def does not isolate its jobs from the network (NetworkConfig.EnableNetworkIsolation)", "path": ["properties", "NetworkConfig", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {},
	},
	"passes_model_bias_definition_isolated": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelBiasJobDefinition", "id": "modelBias-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableNetworkIsolation": true}}}},
		"settings": {},
	},
	"fails_model_explainability_definition_without_isolation": {
		"want": [{"msg": "model explainability job definition modelExplainability-def does not isolate its jobs from the network (NetworkConfig.EnableNetworkIsolation)", "path": ["properties", "NetworkConfig", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableInterContainerTrafficEncryption": true}}}},
		"settings": {},
	},
	"passes_model_explainability_definition_isolated": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelExplainabilityJobDefinition", "id": "modelExplainability-def", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableNetworkIsolation": true}}}},
		"settings": {},
	},
}

check(name) if testing.matches(monitoring_network_isolation.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_schedule_without_isolation if check("fails_schedule_without_isolation")

test_fails_schedule_unknown_job_definition if check("fails_schedule_unknown_job_definition")

test_fails_schedule_unresolved_named_definition if check("fails_schedule_unresolved_named_definition")

test_passes_schedule_inline if check("passes_schedule_inline")

test_passes_schedule_resolved if check("passes_schedule_resolved")

test_fails_data_quality_definition_without_isolation if check("fails_data_quality_definition_without_isolation")

test_passes_data_quality_definition_isolated if check("passes_data_quality_definition_isolated")

test_fails_model_quality_definition_without_isolation if check("fails_model_quality_definition_without_isolation")

test_passes_model_quality_definition_isolated if check("passes_model_quality_definition_isolated")

test_fails_model_bias_definition_without_isolation if check("fails_model_bias_definition_without_isolation")

test_passes_model_bias_definition_isolated if check("passes_model_bias_definition_isolated")

test_fails_model_explainability_definition_without_isolation if check("fails_model_explainability_definition_without_isolation")

test_passes_model_explainability_definition_isolated if check("passes_model_explainability_definition_isolated")
