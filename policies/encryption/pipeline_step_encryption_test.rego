package mlwarden.encryption.pipeline_step_encryption_test

import rego.v1

import data.mlwarden.encryption.pipeline_step_encryption
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_training_step_without_output_key": {
		"want": [{"msg": "pipeline fraud step train (Training) sets no customer-managed KMS key (OutputDataConfig.KmsKeyId)", "path": ["properties", "PipelineDefinition", "Steps", 0, "Arguments", "OutputDataConfig", "KmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}, {"Name": "prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Outputs": []}, "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}, "NetworkConfig": {"EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_processing_step_plain_traffic": {
		"want": [{"msg": "pipeline fraud step prep (Processing) does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption)", "path": ["properties", "PipelineDefinition", "Steps", 1, "Arguments", "NetworkConfig", "EnableInterContainerTrafficEncryption"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/", "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}, {"Name": "prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Outputs": []}, "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}, "NetworkConfig": {"EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_key_parameter_defaults_to_aws_key": {
		"want": [{"msg": "pipeline fraud step train (Training) uses the AWS managed key alias/aws/s3 instead of a customer-managed KMS key", "path": ["properties", "PipelineDefinition", "Steps", 0, "Arguments", "OutputDataConfig", "KmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [{"Name": "Key", "Type": "String", "DefaultValue": "alias/aws/s3"}], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"KmsKeyId": {"Get": "Parameters.Key"}}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_unreadable": {"want": [{"msg": "pipeline fraud: could not read its definition (PipelineDefinition)", "path": ["properties", "PipelineDefinition"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud"}}}},
	"passes_encrypted_steps": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/", "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}, {"Name": "prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Outputs": []}, "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}, "NetworkConfig": {"EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}, {"Name": "model", "Type": "Model", "Arguments": {"ExecutionRoleArn": "arn:aws:iam::111122223333:role/x", "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_nested_encrypted_step": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "c", "Type": "Condition", "Arguments": {"IfSteps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/", "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}], "ElseSteps": []}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(pipeline_step_encryption.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_training_step_without_output_key if check("fails_training_step_without_output_key")

test_fails_processing_step_plain_traffic if check("fails_processing_step_plain_traffic")

test_fails_key_parameter_defaults_to_aws_key if check("fails_key_parameter_defaults_to_aws_key")

test_fails_unreadable if check("fails_unreadable")

test_passes_encrypted_steps if check("passes_encrypted_steps")

test_passes_nested_encrypted_step if check("passes_nested_encrypted_step")
