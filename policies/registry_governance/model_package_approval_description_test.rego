package mlwarden.registry_governance.model_package_approval_description_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.model_package_approval_description

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_description": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is Approved without an ApprovalDescription", "path": ["properties", "ApprovalDescription"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}}}},
	"fails_with_blank_description": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is Approved without an ApprovalDescription", "path": ["properties", "ApprovalDescription"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "ApprovalDescription": ""}}}},
	"passes_with_description": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "ApprovalDescription": "CAB-1234 approved by bob after eval review"}}}},
	"passes_rejected": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Rejected"}}}},
}

check(name) if testing.matches(model_package_approval_description.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_description if check("fails_without_description")

test_fails_with_blank_description if check("fails_with_blank_description")

test_passes_with_description if check("passes_with_description")

test_passes_rejected if check("passes_rejected")
