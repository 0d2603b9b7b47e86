package mlwarden.registry_governance.model_package_approval_description_test

import rego.v1

import data.mlwarden.registry_governance.model_package_approval_description

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_description": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}}}},
	"fails_with_blank_description": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "ApprovalDescription": ""}}}},
	"passes_with_description": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "ApprovalDescription": "CAB-1234 approved by bob after eval review"}}}},
	"passes_rejected": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Rejected"}}}},
}

check(name) if count(model_package_approval_description.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_description if check("fails_without_description")

test_fails_with_blank_description if check("fails_with_blank_description")

test_passes_with_description if check("passes_with_description")

test_passes_rejected if check("passes_rejected")
