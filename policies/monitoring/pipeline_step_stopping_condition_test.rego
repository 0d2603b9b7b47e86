package mlwarden.monitoring.pipeline_step_stopping_condition_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.pipeline_step_stopping_condition

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_training_step_without_limit": {
		"want": [{"msg": "pipeline fraud step train (Training) has no stopping condition (StoppingCondition.MaxRuntimeInSeconds)", "path": ["properties", "PipelineDefinition", "Steps", 0, "Arguments", "StoppingCondition", "MaxRuntimeInSeconds"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/", "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}}, {"Name": "prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Outputs": []}, "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}, "NetworkConfig": {"EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_unreadable": {"want": [{"msg": "pipeline fraud: could not read its definition (PipelineDefinition)", "path": ["properties", "PipelineDefinition"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud"}}}},
	"passes_with_limits": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/", "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}, {"Name": "prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Outputs": []}, "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}, "NetworkConfig": {"EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}, {"Name": "model", "Type": "Model", "Arguments": {"ExecutionRoleArn": "arn:aws:iam::111122223333:role/x", "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(pipeline_step_stopping_condition.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_training_step_without_limit if check("fails_training_step_without_limit")

test_fails_unreadable if check("fails_unreadable")

test_passes_with_limits if check("passes_with_limits")
