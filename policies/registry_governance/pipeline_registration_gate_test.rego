package mlwarden.registry_governance.pipeline_registration_gate_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.pipeline_registration_gate

# Step shapes as SageMaker's pipeline definition JSON has them.
train := {"Name": "Train", "Type": "Training", "Arguments": {"AlgorithmSpecification": {"TrainingImage": "img"}}}

evaluate := {"Name": "Evaluate", "Type": "Processing", "Arguments": {"AppSpecification": {"ImageUri": "img"}}, "PropertyFiles": [{"PropertyFileName": "EvaluationReport", "OutputName": "evaluation", "FilePath": "evaluation.json"}]}

register(status) := {"Name": "Register", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud", "ModelApprovalStatus": status, "InferenceSpecification": {"Containers": [{"Image": "img", "ModelDataUrl": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}}]}}}

auc_condition(left, steps) := {"Name": "CheckAUC", "Type": "Condition", "Arguments": {"Conditions": [{"Type": "GreaterThanOrEqualTo", "LeftValue": left, "RightValue": 0.9}], "IfSteps": steps, "ElseSteps": []}}

json_get := {"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Evaluate.PropertyFiles.EvaluationReport"}, "Path": "binary_classification_metrics.auc.value"}}

quality_check(skip) := {"Name": "DataQuality", "Type": "QualityCheck", "Arguments": {"AppSpecification": {"ImageUri": "monitor"}}, "CheckType": "DATA_QUALITY", "SkipCheck": skip}

pipeline(steps, parameters) := {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": parameters, "Steps": steps}}}}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_ungated_registration": {"want": [{"msg": "pipeline fraud step Register (RegisterModel) registers models with no quality check, bias check or condition on evaluation metrics before it", "path": ["properties", "PipelineDefinition", "Steps", 1, "Arguments", "ModelApprovalStatus"]}], "input": pipeline([train, register("PendingManualApproval")], [])},
	"fails_ungated_approved_registration": {"want": [{"msg": "pipeline fraud step Register (RegisterModel) registers models as Approved with no quality check, bias check or condition on evaluation metrics before it", "path": ["properties", "PipelineDefinition", "Steps", 1, "Arguments", "ModelApprovalStatus"]}], "input": pipeline([train, register("Approved")], [])},
	"fails_check_on_a_parallel_branch": {"want": [{"msg": "pipeline fraud step Register (RegisterModel) registers models with no quality check, bias check or condition on evaluation metrics before it", "path": ["properties", "PipelineDefinition", "Steps", 2, "Arguments", "ModelApprovalStatus"]}], "input": pipeline([train, quality_check(false), register("PendingManualApproval")], [])},
	"fails_skipped_check": {"want": [{"msg": "pipeline fraud step Register (RegisterModel) registers models as Approved with no quality check, bias check or condition on evaluation metrics before it", "path": ["properties", "PipelineDefinition", "Steps", 2, "Arguments", "ModelApprovalStatus"]}], "input": pipeline([train, quality_check({"Get": "Parameters.SkipQuality"}), object.union(register("Approved"), {"DependsOn": ["DataQuality"]})], [{"Name": "SkipQuality", "Type": "Boolean", "DefaultValue": true}])},
	"fails_condition_on_a_parameter": {"want": [{"msg": "pipeline fraud step Register (RegisterModel) registers models as Approved with no quality check, bias check or condition on evaluation metrics before it", "path": ["properties", "PipelineDefinition", "Steps", 1, "Arguments", "IfSteps", 0, "Arguments", "ModelApprovalStatus"]}], "input": pipeline([train, auc_condition({"Get": "Parameters.Threshold"}, [register("Approved")])], [{"Name": "Threshold", "Type": "Float", "DefaultValue": 1}])},
	"fails_model_step_registering": {"want": [{"msg": "pipeline fraud step RegisterViaModelStep (Model) registers models as Approved with no quality check, bias check or condition on evaluation metrics before it", "path": ["properties", "PipelineDefinition", "Steps", 1, "Arguments", "ModelApprovalStatus"]}], "input": pipeline([train, {"Name": "RegisterViaModelStep", "Type": "Model", "Arguments": {"ModelPackageGroupName": "fraud", "ModelApprovalStatus": "Approved"}}], [])},
	"fails_unreadable_definition": {"want": [{"msg": "pipeline fraud: could not read its definition (PipelineDefinition)", "path": ["properties", "PipelineDefinition"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"PipelineDefinitionBody": "{not json"}}}}},
	"passes_condition_on_evaluation_metrics": {"want": [], "input": pipeline([train, evaluate, auc_condition(json_get, [register("Approved")])], [])},
	"passes_quality_check_before_registration": {"want": [], "input": pipeline([train, quality_check(false), object.union(register("PendingManualApproval"), {"DependsOn": ["DataQuality"]})], [])},
	"passes_clarify_check_upstream_of_training": {"want": [], "input": pipeline([object.union(train, {"DependsOn": ["Bias"]}), {"Name": "Bias", "Type": "ClarifyCheck", "Arguments": {}, "CheckType": "DATA_BIAS", "SkipCheck": false}, register("Approved")], [])},
	"passes_training_metric_condition": {"want": [], "input": pipeline([train, auc_condition({"Get": "Steps.Train.FinalMetricDataList['validation:auc'].Value"}, [register("PendingManualApproval")])], [])},
	"passes_no_registration": {"want": [], "input": pipeline([train, evaluate], [])},
}

check(name) if testing.matches(pipeline_registration_gate.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_ungated_registration if check("fails_ungated_registration")

test_fails_ungated_approved_registration if check("fails_ungated_approved_registration")

test_fails_check_on_a_parallel_branch if check("fails_check_on_a_parallel_branch")

test_fails_skipped_check if check("fails_skipped_check")

test_fails_condition_on_a_parameter if check("fails_condition_on_a_parameter")

test_fails_model_step_registering if check("fails_model_step_registering")

test_fails_unreadable_definition if check("fails_unreadable_definition")

test_passes_condition_on_evaluation_metrics if check("passes_condition_on_evaluation_metrics")

test_passes_quality_check_before_registration if check("passes_quality_check_before_registration")

test_passes_clarify_check_upstream_of_training if check("passes_clarify_check_upstream_of_training")

test_passes_training_metric_condition if check("passes_training_metric_condition")

test_passes_no_registration if check("passes_no_registration")

# What a user reads: the step, and whether it registers straight into Approved.
test_message_names_the_ungated_step if {
	msgs := {v.msg | some v in pipeline_registration_gate.deny} with input as cases.fails_ungated_registration.input
	msgs == {"pipeline fraud step Register (RegisterModel) registers models with no quality check, bias check or condition on evaluation metrics before it"}
}

test_message_says_approved_registration_skips_the_gate if {
	msgs := {v.msg | some v in pipeline_registration_gate.deny} with input as cases.fails_skipped_check.input
	msgs == {"pipeline fraud step Register (RegisterModel) registers models as Approved with no quality check, bias check or condition on evaluation metrics before it"}
}

test_message_unreadable_definition if {
	msgs := {v.msg | some v in pipeline_registration_gate.deny} with input as cases.fails_unreadable_definition.input
	msgs == {"pipeline fraud: could not read its definition (PipelineDefinition)"}
}

test_out_of_scope_without_registration if {
	not pipeline_registration_gate.applies with input as cases.passes_no_registration.input
}
