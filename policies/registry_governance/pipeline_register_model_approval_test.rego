package mlwarden.registry_governance.pipeline_register_model_approval_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.pipeline_register_model_approval

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_registers_approved": {"want": [{"msg": "pipeline fraud step register (RegisterModel) registers models already Approved", "path": ["properties", "PipelineDefinition", "Steps", 0, "Arguments", "ModelApprovalStatus"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "register", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud", "ModelApprovalStatus": "Approved"}}]}}}}},
	"fails_approved_by_parameter_default": {"want": [{"msg": "pipeline fraud step register (RegisterModel) registers models already Approved", "path": ["properties", "PipelineDefinition", "Steps", 0, "Arguments", "IfSteps", 0, "Arguments", "ModelApprovalStatus"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [{"Name": "Approval", "Type": "String", "DefaultValue": "Approved"}], "Steps": [{"Name": "cond", "Type": "Condition", "Arguments": {"IfSteps": [{"Name": "register", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud", "ModelApprovalStatus": {"Get": "Parameters.Approval"}}}]}}]}}}}},
	"fails_unreadable_definition": {"want": [{"msg": "pipeline fraud: could not read its definition (PipelineDefinition)", "path": ["properties", "PipelineDefinition"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": "{not json"}}}},
	"passes_pending": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "register", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud", "ModelApprovalStatus": "PendingManualApproval"}}, {"Name": "register2", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud"}}]}}}}},
}

check(name) if testing.matches(pipeline_register_model_approval.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_registers_approved if check("fails_registers_approved")

test_fails_approved_by_parameter_default if check("fails_approved_by_parameter_default")

test_fails_unreadable_definition if check("fails_unreadable_definition")

test_passes_pending if check("passes_pending")
