# METADATA
# title: Pipeline training and processing steps encrypt volumes, outputs and traffic
# description: >-
#   Jobs a pipeline starts must meet the rules stand-alone jobs meet: Training steps set
#   OutputDataConfig.KmsKeyId, ResourceConfig.VolumeKmsKeyId and
#   EnableInterContainerTrafficEncryption; Processing steps set
#   ProcessingOutputConfig.KmsKeyId, ProcessingResources.ClusterConfig.VolumeKmsKeyId and
#   NetworkConfig.EnableInterContainerTrafficEncryption. Keys must be customer-managed
#   (trusted, where settings.trusted_kms_keys is non-empty); parameters are judged by
#   their default value; steps inside Condition steps count. A definition that cannot be
#   read fails.
# custom:
#   id: MLW-ENC-021
#   severity: high
#   category: encryption
#   resource_types: [AWS::SageMaker::Pipeline]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-28, SC-12, SC-8]
#     ISO-42001: [A.7.2, A.6.2.3]
#   remediation:
#     steps:
#       - >-
#         Give each training and processing step its volume and output KMS keys and inter-container traffic
#         encryption (SDK: volume_kms_key, output_kms_key, encrypt_inter_container_traffic on the estimator or
#         processor).
#       - >-
#         Then update the pipeline (aws sagemaker update-pipeline, or Pipeline.upsert in the SDK); runs
#         already started keep the old definition.
#   evidence: [properties.PipelineDefinition]
package mlwarden.encryption.pipeline_step_encryption

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.pipeline
import data.mlwarden.lib.util

key_paths := {
	"Training": [["OutputDataConfig", "KmsKeyId"], ["ResourceConfig", "VolumeKmsKeyId"]],
	"Processing": [["ProcessingOutputConfig", "KmsKeyId"], ["ProcessingResources", "ClusterConfig", "VolumeKmsKeyId"]],
}

traffic_paths := {
	"Training": ["EnableInterContainerTrafficEncryption"],
	"Processing": ["NetworkConfig", "EnableInterContainerTrafficEncryption"],
}

deny contains util.violation(pipeline.unknown_msg, pipeline.unknown_path) if not pipeline.known

deny contains util.violation(msg, pipeline.arg_path(step, path)) if {
	some step in pipeline.steps
	some path in key_paths[step.Type]
	util.blank(pipeline.arg(step, path))
	msg := concat("", [pipeline.step_what(step), " sets no customer-managed KMS key (", concat(".", path), ")"])
}

deny contains util.violation(msg, pipeline.arg_path(step, path)) if {
	some step in pipeline.steps
	some path in key_paths[step.Type]
	key := pipeline.arg(step, path)
	util.present(key)
	some msg in kms.problems(key, pipeline.step_what(step))
}

deny contains util.violation(msg, pipeline.arg_path(step, path)) if {
	some step in pipeline.steps
	path := traffic_paths[step.Type]
	not util.is_true(pipeline.arg(step, path))
	msg := concat("", [pipeline.step_what(step), " does not encrypt inter-container traffic (", concat(".", path), ")"])
}
