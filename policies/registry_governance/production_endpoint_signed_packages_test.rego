package mlwarden.registry_governance.production_endpoint_signed_packages_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.production_endpoint_signed_packages

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_unsigned_package": {
		"want": [{"msg": "production endpoint fraud serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3, which is not signed", "path": ["facts", "model_packages"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "facts": {"model_packages": [{"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "ModelApprovalStatus": "Approved", "signature": {"present": false}}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_unverified_related": {
		"want": [{"msg": "production endpoint fraud serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/4, whose signature does not verify", "path": ["facts", "model_packages"]}], "input": {
			"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "tags": {"environment": "prod"}},
			"related": {"model_packages": [{"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/4", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "verified": false}}}]},
		},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_packages_unknown": {
		"want": [{"msg": "production endpoint fraud: could not determine which model packages it serves", "path": ["facts", "model_packages"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"fails_verification_unknown": {
		"want": [{"msg": "production endpoint fraud serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3, whose signature could not be verified", "path": ["facts", "model_packages"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "facts": {"model_packages": [{"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "ModelApprovalStatus": "Approved", "signature": {"present": true}}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_signed_packages": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "facts": {"model_packages": [{"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "ModelApprovalStatus": "Approved", "signature": {"present": true, "verified": true}}]}, "tags": {"environment": "prod"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
	"passes_non_production": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointConfigName": "fraud-v3", "EndpointStatus": "InService"}, "facts": {"model_packages": [{"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "ModelApprovalStatus": "Approved", "signature": {"present": false}}]}, "tags": {"environment": "dev"}}},
		"settings": {"production": {"tag": "environment", "values": ["prod", "production"]}},
	},
}

check(name) if testing.matches(production_endpoint_signed_packages.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_unsigned_package if check("fails_unsigned_package")

test_fails_unverified_related if check("fails_unverified_related")

test_fails_packages_unknown if check("fails_packages_unknown")

test_fails_verification_unknown if check("fails_verification_unknown")

test_passes_signed_packages if check("passes_signed_packages")

test_passes_non_production if check("passes_non_production")
