package mlwarden.network.model_pipeline_private_registry_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.model_pipeline_private_registry

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_model_pipeline_one_platform_container": {
		"want": [{"msg": "model scorer: container 1 (post) pulls its image with RepositoryAccessMode not set, not Vpc", "path": ["properties", "Containers", 1, "ImageConfig", "RepositoryAccessMode"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "scorer", "account": "111122223333", "region": "eu-west-1", "properties": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1", "ImageConfig": {"RepositoryAccessMode": "Vpc"}}, {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1", "ContainerHostname": "post"}]}}},
		"settings": {},
	},
	"passes_model_pipeline_all_vpc": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "scorer", "account": "111122223333", "region": "eu-west-1", "properties": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1", "ImageConfig": {"RepositoryAccessMode": "Vpc"}}, {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1", "ImageConfig": {"RepositoryAccessMode": "Vpc"}}]}}},
		"settings": {},
	},
}

check(name) if testing.matches(model_pipeline_private_registry.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_model_pipeline_one_platform_container if check("fails_model_pipeline_one_platform_container")

test_passes_model_pipeline_all_vpc if check("passes_model_pipeline_all_vpc")
