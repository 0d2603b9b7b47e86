package mlwarden.registry_governance.model_package_manual_approval_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.model_package_manual_approval

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_registered_approved": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 was registered already Approved: no manual approval step", "path": ["properties", "ModelApprovalStatus"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "CreatedBy": {"IamIdentity": {"Arn": "arn:aws:sts::111122223333:assumed-role/MLPipeline/run-1"}}}}}},
	"fails_self_approved_other_session": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 was approved by the identity that registered it (arn:aws:sts::111122223333:assumed-role/MLPipeline)", "path": ["properties", "LastModifiedBy"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "CreatedBy": {"IamIdentity": {"Arn": "arn:aws:sts::111122223333:assumed-role/MLPipeline/run-1"}}, "LastModifiedBy": {"IamIdentity": {"Arn": "arn:aws:sts::111122223333:assumed-role/MLPipeline/run-2"}}}}}},
	"passes_approved_by_reviewer": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved", "CreatedBy": {"IamIdentity": {"Arn": "arn:aws:sts::111122223333:assumed-role/MLPipeline/run-1"}}, "LastModifiedBy": {"UserProfileArn": "arn:aws:sagemaker:eu-west-1:111122223333:user-profile/d-1/bob", "UserProfileName": "bob"}}}}},
	"passes_pending": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "PendingManualApproval", "CreatedBy": {"IamIdentity": {"Arn": "arn:aws:sts::111122223333:assumed-role/MLPipeline/run-1"}}}}}},
}

check(name) if testing.matches(model_package_manual_approval.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_registered_approved if check("fails_registered_approved")

test_fails_self_approved_other_session if check("fails_self_approved_other_session")

test_passes_approved_by_reviewer if check("passes_approved_by_reviewer")

test_passes_pending if check("passes_pending")
