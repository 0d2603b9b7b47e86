package mlwarden.model_integrity.model_package_signature_trusted_test

import rego.v1

import data.mlwarden.model_integrity.model_package_signature_trusted

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"passes_trusted_key_arn": {
		"want": 0,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_arn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_state": "Enabled",
						"key_aliases": [
							"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
						],
						"verified": true,
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"passes_trusted_alias_arn_pointing_at_the_key": {
		"want": 0,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_arn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_state": "Enabled",
						"key_aliases": [
							"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
						],
						"verified": true,
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"passes_key_id_and_alias_name_in_own_account": {
		"want": 0,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_arn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_state": "Enabled",
						"key_aliases": [
							"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
						],
						"verified": true,
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"1234abcd-12ab-34cd-56ef-1234567890ab",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"passes_alias_name_in_own_account": {
		"want": 0,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_arn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_state": "Enabled",
						"key_aliases": [
							"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
						],
						"verified": true,
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"alias/ml-signing",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"passes_unsigned_not_applicable": {
		"want": 0,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {},
				"facts": {
					"signature": {
						"present": false,
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				],
			},
		},
	},
	"fails_rogue_key_naming_a_trusted_active_profile": {
		"want": 1,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:key/9999ffff-99ff-99ff-99ff-999999999999",
						"key_arn": "arn:aws:kms:eu-west-1:111122223333:key/9999ffff-99ff-99ff-99ff-999999999999",
						"key_state": "Enabled",
						"key_aliases": [],
						"verified": true,
						"signing_profile": "ml_models",
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				],
				"trusted_signing_profiles": [
					"ml_models",
				],
			},
			"related": {
				"signing_profiles": [
					{
						"type": "AWS::Signer::SigningProfile",
						"id": "ml_models",
						"arn": "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/ml_models",
						"account": "111122223333",
						"region": "eu-west-1",
						"properties": {
							"ProfileName": "ml_models",
							"Status": "Active",
							"SigningMaterial": {
								"CertificateArn": "arn:aws:acm:eu-west-1:111122223333:certificate/c",
							},
						},
					},
				],
			},
		},
	},
	"fails_trusted_alias_pointing_at_another_key": {
		"want": 1,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:key/9999ffff-99ff-99ff-99ff-999999999999",
						"key_arn": "arn:aws:kms:eu-west-1:111122223333:key/9999ffff-99ff-99ff-99ff-999999999999",
						"key_state": "Enabled",
						"key_aliases": [],
						"verified": true,
						"signing_profile": "ml_models",
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"fails_claimed_alias_resolving_elsewhere_unverified": {
		"want": 1,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
						"key_arn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_state": "Enabled",
						"key_aliases": [
							"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
						],
						"verified": false,
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"fails_disabled_trusted_key": {
		"want": 1,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_arn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"key_state": "Disabled",
						"key_aliases": [
							"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
						],
						"verified": true,
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"fails_same_alias_name_in_another_account": {
		"want": 1,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:999999999999:key/9999ffff-99ff-99ff-99ff-999999999999",
						"key_arn": "arn:aws:kms:eu-west-1:999999999999:key/9999ffff-99ff-99ff-99ff-999999999999",
						"key_state": "Enabled",
						"key_aliases": [
							"arn:aws:kms:eu-west-1:999999999999:alias/ml-signing",
						],
						"verified": true,
						"signing_profile": "ml_models",
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"alias/ml-signing",
					"arn:aws:kms:eu-west-1:111122223333:alias/ml-signing",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"fails_key_id_claimed_but_not_resolved": {
		"want": 1,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
						"verify_error": "kms:DescribeKey failed: AccessDeniedException",
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [
					"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				],
				"trusted_signing_profiles": [],
			},
		},
	},
	"fails_profile_named_in_settings_only": {
		"want": 1,
		"input": {
			"resource": {
				"type": "AWS::SageMaker::ModelPackage",
				"id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"arn": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3",
				"account": "111122223333",
				"region": "eu-west-1",
				"properties": {
					"ModelApprovalStatus": "Approved",
				},
				"facts": {
					"signature": {
						"present": true,
						"artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
						"signing_profile": "ml_models",
						"verify_error": "no KMS key ARN recorded",
					},
				},
			},
			"settings": {
				"trusted_signing_keys": [],
				"trusted_signing_profiles": [
					"ml_models",
				],
			},
			"related": {
				"signing_profiles": [
					{
						"type": "AWS::Signer::SigningProfile",
						"id": "ml_models",
						"arn": "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/ml_models",
						"account": "111122223333",
						"region": "eu-west-1",
						"properties": {
							"ProfileName": "ml_models",
							"Status": "Active",
							"SigningMaterial": {
								"CertificateArn": "arn:aws:acm:eu-west-1:111122223333:certificate/c",
							},
						},
					},
				],
			},
		},
	},
}

check(name) if count(model_package_signature_trusted.deny) == cases[name].want with input as cases[name].input

test_passes_trusted_key_arn if check("passes_trusted_key_arn")

test_passes_trusted_alias_arn_pointing_at_the_key if check("passes_trusted_alias_arn_pointing_at_the_key")

test_passes_key_id_and_alias_name_in_own_account if check("passes_key_id_and_alias_name_in_own_account")

test_passes_alias_name_in_own_account if check("passes_alias_name_in_own_account")

test_passes_unsigned_not_applicable if check("passes_unsigned_not_applicable")

test_fails_rogue_key_naming_a_trusted_active_profile if check("fails_rogue_key_naming_a_trusted_active_profile")

test_fails_trusted_alias_pointing_at_another_key if check("fails_trusted_alias_pointing_at_another_key")

test_fails_claimed_alias_resolving_elsewhere_unverified if check("fails_claimed_alias_resolving_elsewhere_unverified")

test_fails_disabled_trusted_key if check("fails_disabled_trusted_key")

test_fails_same_alias_name_in_another_account if check("fails_same_alias_name_in_another_account")

test_fails_key_id_claimed_but_not_resolved if check("fails_key_id_claimed_but_not_resolved")

test_fails_profile_named_in_settings_only if check("fails_profile_named_in_settings_only")
