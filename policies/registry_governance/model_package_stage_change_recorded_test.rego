package mlwarden.registry_governance.model_package_stage_change_recorded_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.model_package_stage_change_recorded

arn := "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3"

bob := {"UserProfileName": "bob", "DomainId": "d-1"}

package_doc(props) := {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": arn, "arn": arn, "account": "111122223333", "region": "eu-west-1", "properties": object.union({"ModelPackageGroupName": "fraud", "CreatedBy": {"UserProfileName": "alice"}}, props)}}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_description": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is in stage PROD without a description (ModelLifeCycle.StageDescription)", "path": ["properties", "ModelLifeCycle", "StageDescription"]}], "input": package_doc({"ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved"}, "LastModifiedBy": bob, "LastModifiedTime": "2026-11-28T10:00:00+00:00"})},
	"fails_blank_description": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is in stage PROD without a description (ModelLifeCycle.StageDescription)", "path": ["properties", "ModelLifeCycle", "StageDescription"]}], "input": package_doc({"ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved", "StageDescription": "  "}, "LastModifiedBy": bob, "LastModifiedTime": "2026-11-28T10:00:00+00:00"})},
	"fails_modified_by_no_one": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is in stage QA and records no one who set it (LastModifiedBy)", "path": ["properties", "LastModifiedBy"]}], "input": package_doc({"ModelLifeCycle": {"Stage": "QA", "StageStatus": "Approved", "StageDescription": "shadow test passed"}, "LastModifiedTime": "2026-11-28T10:00:00+00:00"})},
	"fails_neither": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is in stage QA and records no one who set it (LastModifiedBy)", "path": ["properties", "LastModifiedBy"]}, {"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is in stage QA without a description (ModelLifeCycle.StageDescription)", "path": ["properties", "ModelLifeCycle", "StageDescription"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": arn, "properties": {"ModelLifeCycle": {"Stage": "QA", "StageStatus": "Approved"}}}}},
	"passes_promotion_recorded": {"want": [], "input": package_doc({"ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved", "StageDescription": "CAB-1142: holdout AUC 0.97"}, "LastModifiedBy": bob, "LastModifiedTime": "2026-11-28T10:00:00+00:00"})},
	"passes_registered_with_stage": {"want": [], "input": package_doc({"ModelLifeCycle": {"Stage": "DEV", "StageStatus": "InProgress", "StageDescription": "first training run"}})},
	"passes_without_stage_out_of_scope": {"want": [], "input": package_doc({})},
	# A template's package (scanner/iac/normalise.py): who set the stage is unknown, so no
	# violation says no one did (the scan makes the PASS NOT_ASSESSED); a missing
	# StageDescription still fails.
	"template_setter_unknown_no_violation": {"want": [], "input": template_doc({"ModelLifeCycle": {"Stage": "QA", "StageStatus": "Approved", "StageDescription": "shadow test passed"}})},
	"template_fails_without_description": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is in stage QA without a description (ModelLifeCycle.StageDescription)", "path": ["properties", "ModelLifeCycle", "StageDescription"]}], "input": template_doc({"ModelLifeCycle": {"Stage": "QA", "StageStatus": "Approved"}})},
}

template_doc(props) := {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": arn, "arn": arn, "properties": props, "facts": {"stage_setter": {"mlwarden:unknown": "recorded by SageMaker"}}}}

check(name) if testing.matches(model_package_stage_change_recorded.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_description if check("fails_without_description")

test_fails_blank_description if check("fails_blank_description")

test_fails_modified_by_no_one if check("fails_modified_by_no_one")

test_fails_neither if check("fails_neither")

test_passes_promotion_recorded if check("passes_promotion_recorded")

test_passes_registered_with_stage if check("passes_registered_with_stage")

test_passes_without_stage_out_of_scope if check("passes_without_stage_out_of_scope")

test_template_setter_unknown_no_violation if check("template_setter_unknown_no_violation")

test_template_fails_without_description if check("template_fails_without_description")

test_messages_name_what_is_missing if {
	msgs := {v.msg | some v in model_package_stage_change_recorded.deny} with input as cases.fails_neither.input
	msgs == {
		concat("", ["model package ", arn, " is in stage QA without a description (ModelLifeCycle.StageDescription)"]),
		concat("", ["model package ", arn, " is in stage QA and records no one who set it (LastModifiedBy)"]),
	}
}

test_package_without_stage_is_out_of_scope if {
	not model_package_stage_change_recorded.applies with input as cases.passes_without_stage_out_of_scope.input
}
