package mlwarden.model_integrity.model_private_ecr_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.model_integrity.model_private_ecr

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_public_image": {
		"want": [{"msg": "model r1 uses image docker.io/library/python:3.11, which is not in a private ECR registry", "path": ["properties", "PrimaryContainer", "Image"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "docker.io/library/python:3.11"}, "Containers": []}}},
		"settings": {"trusted_image_accounts": []},
	},
	"fails_other_account_image": {
		"want": [{"msg": "model r1 uses image 763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1 from the ECR registry of account 763104351884, which is neither its own account nor in settings.trusted_image_accounts", "path": ["properties", "PrimaryContainer", "Image"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1"}, "Containers": []}}},
		"settings": {"trusted_image_accounts": []},
	},
	"passes_own_account_image": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud:1.4"}, "Containers": []}}},
		"settings": {"trusted_image_accounts": []},
	},
	"passes_trusted_account_image": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"PrimaryContainer": {"Image": "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1"}, "Containers": []}}},
		"settings": {"trusted_image_accounts": ["763104351884"]},
	},
	# A template scanned without --account (scanner/iac/normalise.py marks facts.deploy_account):
	# an untrusted registry account may be its own; the violation names the unknown fact.
	"account_unknown_names_the_unknown_fact": {
		"want": [{"msg": "model r1 uses image 111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud:1.4 from the ECR registry of account 111122223333, which is not in settings.trusted_image_accounts and may be its own account", "path": ["facts", "deploy_account"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "", "facts": {"deploy_account": {"mlwarden:unknown": "no --account"}}, "properties": {"PrimaryContainer": {"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud:1.4"}, "Containers": []}}},
		"settings": {"trusted_image_accounts": []},
	},
	"account_unknown_public_image_still_fails": {
		"want": [{"msg": "model r1 uses image docker.io/library/python:3.11, which is not in a private ECR registry", "path": ["properties", "Containers", 0, "Image"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "", "facts": {"deploy_account": {"mlwarden:unknown": "no --account"}}, "properties": {"PrimaryContainer": {"Image": "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1"}, "Containers": [{"Image": "docker.io/library/python:3.11"}]}}},
		"settings": {"trusted_image_accounts": ["763104351884"]},
	},
}

check(name) if testing.matches(model_private_ecr.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_public_image if check("fails_public_image")

test_fails_other_account_image if check("fails_other_account_image")

test_passes_own_account_image if check("passes_own_account_image")

test_passes_trusted_account_image if check("passes_trusted_account_image")

test_account_unknown_names_the_unknown_fact if check("account_unknown_names_the_unknown_fact")

test_account_unknown_public_image_still_fails if check("account_unknown_public_image_still_fails")
