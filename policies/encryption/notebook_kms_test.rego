package mlwarden.encryption.notebook_kms_test

import rego.v1

import data.mlwarden.encryption.notebook_kms

test_fails_without_key if {
	count(notebook_kms.deny) == 1 with input as {"resource": {"id": "nb", "properties": {}}}
}

test_passes_with_key if {
	count(notebook_kms.deny) == 0 with input as {"resource": {"id": "nb", "properties": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k"}}}
}
