package mlwarden.registry_governance.pipeline_register_model_approval_test

import rego.v1

import data.mlwarden.registry_governance.pipeline_register_model_approval

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_registers_approved": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "register", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud", "ModelApprovalStatus": "Approved"}}]}}}}},
	"fails_approved_by_parameter_default": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": "{\"Version\": \"2020-12-01\", \"Parameters\": [{\"Name\": \"Approval\", \"Type\": \"String\", \"DefaultValue\": \"Approved\"}], \"Steps\": [{\"Name\": \"cond\", \"Type\": \"Condition\", \"Arguments\": {\"IfSteps\": [{\"Name\": \"register\", \"Type\": \"RegisterModel\", \"Arguments\": {\"ModelPackageGroupName\": \"fraud\", \"ModelApprovalStatus\": {\"Get\": \"Parameters.Approval\"}}}]}}]}"}}}},
	"fails_unreadable_definition": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": "{not json"}}}},
	"passes_pending": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "register", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud", "ModelApprovalStatus": "PendingManualApproval"}}, {"Name": "register2", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud"}}]}}}}},
}

check(name) if count(pipeline_register_model_approval.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_registers_approved if check("fails_registers_approved")

test_fails_approved_by_parameter_default if check("fails_approved_by_parameter_default")

test_fails_unreadable_definition if check("fails_unreadable_definition")

test_passes_pending if check("passes_pending")
