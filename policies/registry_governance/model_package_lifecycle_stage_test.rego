package mlwarden.registry_governance.model_package_lifecycle_stage_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.model_package_lifecycle_stage

arn := "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3"

package_doc(props, tags) := {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": arn, "arn": arn, "account": "111122223333", "region": "eu-west-1", "tags": tags, "properties": object.union({"ModelPackageGroupName": "fraud", "ModelApprovalStatus": "Approved"}, props)}}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_stage": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 has no lifecycle stage (ModelLifeCycle.Stage)", "path": ["properties", "ModelLifeCycle", "Stage"]}], "input": package_doc({}, {})},
	"fails_stage_not_allowed": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is in lifecycle stage Staging, not one of DEV, QA, PROD", "path": ["properties", "ModelLifeCycle", "Stage"]}], "input": package_doc({"ModelLifeCycle": {"Stage": "Staging", "StageStatus": "Approved"}}, {})},
	"fails_stage_outside_own_list": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is in lifecycle stage QA, not one of dev, prod", "path": ["properties", "ModelLifeCycle", "Stage"]}], "settings": {"lifecycle": {"stages": ["dev", "prod"]}}, "input": package_doc({"ModelLifeCycle": {"Stage": "QA", "StageStatus": "Approved"}}, {})},
	"fails_stage_tag_not_named_in_settings": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 has no lifecycle stage (ModelLifeCycle.Stage)", "path": ["properties", "ModelLifeCycle", "Stage"]}], "input": package_doc({}, {"stage": "PROD"})},
	"passes_model_life_cycle_stage": {"want": [], "input": package_doc({"ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved"}}, {})},
	"passes_stage_ignoring_case": {"want": [], "input": package_doc({"ModelLifeCycle": {"Stage": "qa", "StageStatus": "InProgress"}}, {})},
	"passes_stage_tag_named_in_settings": {"want": [], "settings": {"lifecycle": {"stage_tag": "stage"}}, "input": package_doc({}, {"stage": "DEV"})},
	"passes_rejected_out_of_scope": {"want": [], "input": package_doc({"ModelApprovalStatus": "Rejected"}, {})},
}

check(name) if testing.matches(model_package_lifecycle_stage.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_stage if check("fails_without_stage")

test_fails_stage_not_allowed if check("fails_stage_not_allowed")

test_fails_stage_outside_own_list if check("fails_stage_outside_own_list")

test_fails_stage_tag_not_named_in_settings if check("fails_stage_tag_not_named_in_settings")

test_passes_model_life_cycle_stage if check("passes_model_life_cycle_stage")

test_passes_stage_ignoring_case if check("passes_stage_ignoring_case")

test_passes_stage_tag_named_in_settings if check("passes_stage_tag_named_in_settings")

test_passes_rejected_out_of_scope if check("passes_rejected_out_of_scope")

test_message_names_the_missing_stage if {
	msgs := {v.msg | some v in model_package_lifecycle_stage.deny} with input as cases.fails_without_stage.input
	msgs == {concat("", ["model package ", arn, " has no lifecycle stage (ModelLifeCycle.Stage)"])}
}

test_message_names_the_tag_when_settings_name_one if {
	msgs := {v.msg | some v in model_package_lifecycle_stage.deny} with input as package_doc({}, {}) with data.mlwarden_settings as {"lifecycle": {"stage_tag": "stage"}}
	msgs == {concat("", ["model package ", arn, " has no lifecycle stage (ModelLifeCycle.Stage or tag stage)"])}
}

test_message_lists_the_allowed_stages if {
	msgs := {v.msg | some v in model_package_lifecycle_stage.deny} with input as cases.fails_stage_not_allowed.input
	msgs == {concat("", ["model package ", arn, " is in lifecycle stage Staging, not one of DEV, QA, PROD"])}
}

test_rejected_package_is_out_of_scope if {
	not model_package_lifecycle_stage.applies with input as cases.passes_rejected_out_of_scope.input
}
