package mlwarden.model_integrity.processing_private_ecr_test

import rego.v1

import data.mlwarden.model_integrity.processing_private_ecr

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_public_image": {
		"want": 1, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"AppSpecification": {"ImageUri": "docker.io/library/python:3.11"}}}},
		"settings": {"trusted_image_accounts": []},
	},
	"fails_other_account_image": {
		"want": 1, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"AppSpecification": {"ImageUri": "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1"}}}},
		"settings": {"trusted_image_accounts": []},
	},
	"passes_own_account_image": {
		"want": 0, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"AppSpecification": {"ImageUri": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud:1.4"}}}},
		"settings": {"trusted_image_accounts": []},
	},
	"passes_trusted_account_image": {
		"want": 0, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"AppSpecification": {"ImageUri": "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1"}}}},
		"settings": {"trusted_image_accounts": ["763104351884"]},
	},
}

check(name) if count(processing_private_ecr.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_public_image if check("fails_public_image")

test_fails_other_account_image if check("fails_other_account_image")

test_passes_own_account_image if check("passes_own_account_image")

test_passes_trusted_account_image if check("passes_trusted_account_image")
