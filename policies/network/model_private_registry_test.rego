package mlwarden.network.model_private_registry_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.model_private_registry

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_model_without_image_config": {
		"want": [{"msg": "model scorer pulls its primary container image with RepositoryAccessMode not set, not Vpc (PrimaryContainer.ImageConfig)", "path": ["properties", "PrimaryContainer", "ImageConfig", "RepositoryAccessMode"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "scorer", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1"}}}},
		"settings": {},
	},
	"fails_model_platform_access": {
		"want": [{"msg": "model scorer pulls its primary container image with RepositoryAccessMode Platform, not Vpc (PrimaryContainer.ImageConfig)", "path": ["properties", "PrimaryContainer", "ImageConfig", "RepositoryAccessMode"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "scorer", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1", "ImageConfig": {"RepositoryAccessMode": "Platform"}}}}},
		"settings": {},
	},
	"passes_model_vpc_access": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "scorer", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1", "ImageConfig": {"RepositoryAccessMode": "Vpc"}}}}},
		"settings": {},
	},
}

check(name) if testing.matches(model_private_registry.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_model_without_image_config if check("fails_model_without_image_config")

test_fails_model_platform_access if check("fails_model_platform_access")

test_passes_model_vpc_access if check("passes_model_vpc_access")
