package mlwarden.registry_governance.production_endpoint_approved_packages_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.production_endpoint_approved_packages

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_pending_package": {
		"want": [{"msg": "production endpoint fraud serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3, which is PendingManualApproval, not Approved", "path": ["facts", "model_packages"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "facts": {"model_packages": [{"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "ModelApprovalStatus": "PendingManualApproval", "signature": {"present": true, "verified": true}}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_related_rejected_package": {
		"want": [{"msg": "production endpoint fraud serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/4, which is Rejected, not Approved", "path": ["facts", "model_packages"]}], "input": {
			"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "tags": {"environment": "prod"}},
			"related": {"model_packages": [{"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/4", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Rejected"}, "facts": {"signature": {"present": true, "verified": true}}}]},
		},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_unregistered_model": {
		"want": [{"msg": "production endpoint fraud serves model adhoc-model, which comes from no registered model package", "path": ["facts", "unregistered_models"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "facts": {"model_packages": [], "unregistered_models": ["adhoc-model"]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_packages_unknown": {
		"want": [{"msg": "production endpoint fraud: could not determine which model packages it serves", "path": ["facts", "model_packages"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_pending_package_on_shadow_variant": {
		"want": [{"msg": "production endpoint fraud serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/4 (on shadow variant challenger), which is PendingManualApproval, not Approved", "path": ["facts", "model_packages"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "facts": {"model_packages": [{"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "ModelApprovalStatus": "Approved", "signature": {"present": true, "verified": true}}, {"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/4", "ModelApprovalStatus": "PendingManualApproval", "signature": {"present": true, "verified": true}, "shadow_variant": "challenger"}], "unregistered_models": []}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_approved_packages": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "facts": {"model_packages": [{"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "ModelApprovalStatus": "Approved", "signature": {"present": true, "verified": true}}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_related_approved": {
		"want": [], "input": {
			"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "tags": {"environment": "prod"}},
			"related": {"model_packages": [{"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/4", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "verified": true}}}]},
		},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_non_production": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "tags": {"environment": "dev"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
}

check(name) if testing.matches(production_endpoint_approved_packages.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_pending_package if check("fails_pending_package")

test_fails_related_rejected_package if check("fails_related_rejected_package")

test_fails_unregistered_model if check("fails_unregistered_model")

test_fails_packages_unknown if check("fails_packages_unknown")

test_fails_pending_package_on_shadow_variant if check("fails_pending_package_on_shadow_variant")

test_passes_approved_packages if check("passes_approved_packages")

test_passes_related_approved if check("passes_related_approved")

test_passes_non_production if check("passes_non_production")
