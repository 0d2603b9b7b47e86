package mlwarden.registry_governance.model_package_model_card_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.model_package_model_card

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_card": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is Approved but has no model card", "path": ["properties", "ModelCard"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}}}},
	"passes_with_attached_card": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "ModelCard": {"ModelCardStatus": "Approved", "ModelCardContent": "{}"}}}}},
	"passes_with_found_card": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"model_card": {"name": "fraud-card", "status": "Approved"}}}}},
	"passes_pending": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "PendingManualApproval"}}}},
}

check(name) if testing.matches(model_package_model_card.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_card if check("fails_without_card")

test_passes_with_attached_card if check("passes_with_attached_card")

test_passes_with_found_card if check("passes_with_found_card")

test_passes_pending if check("passes_pending")
