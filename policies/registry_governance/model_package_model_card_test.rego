package mlwarden.registry_governance.model_package_model_card_test

import rego.v1

import data.mlwarden.registry_governance.model_package_model_card

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_card": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}}}},
	"passes_with_attached_card": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "ModelCard": {"ModelCardStatus": "Approved", "ModelCardContent": "{}"}}}}},
	"passes_with_found_card": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"model_card": {"name": "fraud-card", "status": "Approved"}}}}},
	"passes_pending": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "PendingManualApproval"}}}},
}

check(name) if count(model_package_model_card.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_card if check("fails_without_card")

test_passes_with_attached_card if check("passes_with_attached_card")

test_passes_with_found_card if check("passes_with_found_card")

test_passes_pending if check("passes_pending")
