# METADATA
# title: Pipeline training, processing and model steps run isolated inside a VPC
# description: >-
#   Jobs and models a pipeline creates must meet the network rules stand-alone ones meet:
#   Training and Model steps set EnableNetworkIsolation and VpcConfig.Subnets; Processing
#   steps set NetworkConfig.EnableNetworkIsolation and NetworkConfig.VpcConfig.Subnets.
#   Parameters are judged by their default value; steps inside Condition steps count. A
#   definition that cannot be read fails.
# custom:
#   id: MLW-NET-017
#   severity: high
#   category: network
#   resource_types: [AWS::SageMaker::Pipeline]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-7, SC-7(5), AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Give each training, processing and model step subnets, security groups and network isolation (SDK:
#         subnets, security_group_ids, enable_network_isolation).
#       - >-
#         Then update the pipeline (aws sagemaker update-pipeline, or Pipeline.upsert in the SDK); runs
#         already started keep the old definition.
#   evidence: [properties.PipelineDefinition]
package mlwarden.network.pipeline_step_isolation

import rego.v1

import data.mlwarden.lib.pipeline
import data.mlwarden.lib.util

isolation_path := {
	"Training": ["EnableNetworkIsolation"],
	"Model": ["EnableNetworkIsolation"],
	"Processing": ["NetworkConfig", "EnableNetworkIsolation"],
}

subnets_path := {
	"Training": ["VpcConfig", "Subnets"],
	"Model": ["VpcConfig", "Subnets"],
	"Processing": ["NetworkConfig", "VpcConfig", "Subnets"],
}

deny contains util.violation(pipeline.unknown_msg, pipeline.unknown_path) if not pipeline.known

deny contains util.violation(msg, pipeline.arg_path(step, path)) if {
	some step in pipeline.steps
	path := isolation_path[step.Type]
	not util.is_true(pipeline.arg(step, path))
	msg := concat("", [
		pipeline.step_what(step),
		" does not isolate its containers from the network (",
		concat(".", path),
		")",
	])
}

deny contains util.violation(msg, pipeline.arg_path(step, path)) if {
	some step in pipeline.steps
	path := subnets_path[step.Type]
	util.blank(pipeline.arg(step, path))
	msg := concat("", [pipeline.step_what(step), " does not run in a VPC (", concat(".", path), ")"])
}
