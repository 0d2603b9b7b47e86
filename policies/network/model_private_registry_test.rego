package mlwarden.network.model_private_registry_test

import rego.v1

import data.mlwarden.network.model_private_registry

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_model_without_image_config": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "scorer", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1"}}}},
		"settings": {},
	},
	"fails_model_platform_access": {
		"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "scorer", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1", "ImageConfig": {"RepositoryAccessMode": "Platform"}}}}},
		"settings": {},
	},
	"passes_model_vpc_access": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "scorer", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1", "ImageConfig": {"RepositoryAccessMode": "Vpc"}}}}},
		"settings": {},
	},
}

check(name) if count(model_private_registry.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_model_without_image_config if check("fails_model_without_image_config")

test_fails_model_platform_access if check("fails_model_platform_access")

test_passes_model_vpc_access if check("passes_model_vpc_access")
