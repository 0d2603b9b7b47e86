package mlwarden.network.pipeline_step_isolation_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.pipeline_step_isolation

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_training_step_not_isolated": {
		"want": [{"msg": "pipeline fraud step train (Training) does not isolate its containers from the network (EnableNetworkIsolation)", "path": ["properties", "PipelineDefinition", "Steps", 0, "Arguments", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/", "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}, {"Name": "prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Outputs": []}, "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}, "NetworkConfig": {"EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_model_step_outside_vpc": {
		"want": [{"msg": "pipeline fraud step model (Model) does not run in a VPC (VpcConfig.Subnets)", "path": ["properties", "PipelineDefinition", "Steps", 1, "Arguments", "VpcConfig", "Subnets"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/", "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}, {"Name": "model", "Type": "Model", "Arguments": {"ExecutionRoleArn": "arn:aws:iam::111122223333:role/x", "EnableNetworkIsolation": true}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_processing_step_outside_vpc_and_not_isolated": {
		"want": [{"msg": "pipeline fraud step prep (Processing) does not isolate its containers from the network (NetworkConfig.EnableNetworkIsolation)", "path": ["properties", "PipelineDefinition", "Steps", 0, "Arguments", "NetworkConfig", "EnableNetworkIsolation"]}, {"msg": "pipeline fraud step prep (Processing) does not run in a VPC (NetworkConfig.VpcConfig.Subnets)", "path": ["properties", "PipelineDefinition", "Steps", 0, "Arguments", "NetworkConfig", "VpcConfig", "Subnets"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Outputs": []}, "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}, "NetworkConfig": {}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_unreadable": {"want": [{"msg": "pipeline fraud: could not read its definition (PipelineDefinition)", "path": ["properties", "PipelineDefinition"]}], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud"}}}},
	"passes_isolated_steps": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Pipeline", "id": "fraud", "account": "111122223333", "region": "eu-west-1", "properties": {"PipelineName": "fraud", "PipelineDefinition": {"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "train", "Type": "Training", "Arguments": {"OutputDataConfig": {"S3OutputPath": "s3://m/", "KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}, {"Name": "prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Outputs": []}, "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}, "NetworkConfig": {"EnableInterContainerTrafficEncryption": true, "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}, {"Name": "model", "Type": "Model", "Arguments": {"ExecutionRoleArn": "arn:aws:iam::111122223333:role/x", "EnableNetworkIsolation": true, "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(pipeline_step_isolation.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_training_step_not_isolated if check("fails_training_step_not_isolated")

test_fails_model_step_outside_vpc if check("fails_model_step_outside_vpc")

test_fails_processing_step_outside_vpc_and_not_isolated if check("fails_processing_step_outside_vpc_and_not_isolated")

test_fails_unreadable if check("fails_unreadable")

test_passes_isolated_steps if check("passes_isolated_steps")
