package mlwarden.tagging.required_tags_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.tagging.required_tags

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_bucket_of_ml_work_untagged": {
		"want": [{"msg": "bucket x1 is missing required tag(s): owner, project, cost-center, environment", "path": ["tags"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "x1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {}, "facts": {"ml_referenced_by": ["arn:aws:sagemaker:eu-west-1:111122223333:model/scorer"]}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"passes_bucket_of_ml_work_tagged": {
		"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "x1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"owner": "ml", "project": "fraud", "cost-center": "cc", "environment": "prod"}, "facts": {"ml_referenced_by": ["arn:aws:sagemaker:eu-west-1:111122223333:model/scorer"]}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"passes_bucket_outside_ml_work_not_judged": {
		"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "x1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {}, "facts": {}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"fails_key_of_ml_work_untagged": {
		"want": [{"msg": "KMS key x1 is missing required tag(s): project, cost-center, environment", "path": ["tags"]}], "input": {"resource": {"type": "AWS::KMS::Key", "id": "x1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"owner": "ml"}, "facts": {"ml_referenced_by": ["arn:aws:sagemaker:eu-west-1:111122223333:model/scorer"]}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"passes_role_with_the_tags_its_type_requires": {
		"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "x1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"owner": "ml"}, "facts": {"ml_referenced_by": ["arn:aws:sagemaker:eu-west-1:111122223333:model/scorer"]}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"], "required_tags_by_type": {"AWS::IAM::Role": ["owner"]}},
	},
	"fails_role_missing_the_tags_its_type_requires": {
		"want": [{"msg": "IAM role x1 is missing required tag(s): owner", "path": ["tags"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "x1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"project": "fraud"}, "facts": {"ml_referenced_by": ["arn:aws:sagemaker:eu-west-1:111122223333:model/scorer"]}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"], "required_tags_by_type": {"AWS::IAM::Role": ["owner"]}},
	},
	"fails_job_definition_untagged": {
		"want": [{"msg": "data quality job definition x1 is missing required tag(s): owner, project, cost-center, environment", "path": ["tags"]}], "input": {"resource": {"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "x1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"fails_without_tags": {
		"want": [{"msg": "notebook instance r1 is missing required tag(s): owner, project, cost-center, environment", "path": ["tags"]}], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"fails_with_empty_value": {
		"want": [{"msg": "model package r1 is missing required tag(s): owner", "path": ["tags"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"owner": "", "project": "fraud", "cost-center": "cc-42", "environment": "prod"}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
	"passes_with_all_tags": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"owner": "ml-platform", "project": "fraud", "cost-center": "cc-42", "environment": "prod"}}},
		"settings": {"required_tags": ["owner", "project", "cost-center", "environment"]},
	},
}

check(name) if testing.matches(required_tags.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_tags if check("fails_without_tags")

test_fails_with_empty_value if check("fails_with_empty_value")

test_passes_with_all_tags if check("passes_with_all_tags")

test_fails_bucket_of_ml_work_untagged if check("fails_bucket_of_ml_work_untagged")

test_passes_bucket_of_ml_work_tagged if check("passes_bucket_of_ml_work_tagged")

test_passes_bucket_outside_ml_work_not_judged if check("passes_bucket_outside_ml_work_not_judged")

test_fails_key_of_ml_work_untagged if check("fails_key_of_ml_work_untagged")

test_passes_role_with_the_tags_its_type_requires if check("passes_role_with_the_tags_its_type_requires")

test_fails_role_missing_the_tags_its_type_requires if check("fails_role_missing_the_tags_its_type_requires")

test_fails_job_definition_untagged if check("fails_job_definition_untagged")

test_bucket_outside_ml_work_is_not_applicable if {
	not required_tags.applies with input as cases.passes_bucket_outside_ml_work_not_judged.input with data.mlwarden_settings as cases.passes_bucket_outside_ml_work_not_judged.settings
}
