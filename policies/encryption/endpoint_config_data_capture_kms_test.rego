package mlwarden.encryption.endpoint_config_data_capture_kms_test

import rego.v1

import data.mlwarden.encryption.endpoint_config_data_capture_kms
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_capture_without_key": {
		"want": [{"msg": "endpoint configuration r1 captures inference data without a customer-managed KMS key (DataCaptureConfig.KmsKeyId)", "path": ["properties", "DataCaptureConfig", "KmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DataCaptureConfig": {"EnableCapture": true, "DestinationS3Uri": "s3://b/c"}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_capture_with_aws_key": {
		"want": [{"msg": "endpoint configuration r1's data capture uses the AWS managed key alias/aws/s3 instead of a customer-managed KMS key", "path": ["properties", "DataCaptureConfig", "KmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DataCaptureConfig": {"KmsKeyId": "alias/aws/s3"}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_capture_with_key": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DataCaptureConfig": {"EnableCapture": true, "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_without_capture": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"DataCaptureConfig": {"EnableCapture": false}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(endpoint_config_data_capture_kms.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_capture_without_key if check("fails_capture_without_key")

test_fails_capture_with_aws_key if check("fails_capture_with_aws_key")

test_passes_capture_with_key if check("passes_capture_with_key")

test_passes_without_capture if check("passes_without_capture")
