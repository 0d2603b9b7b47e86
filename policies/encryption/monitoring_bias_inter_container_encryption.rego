# METADATA
# title: Model bias jobs on two or more instances encrypt traffic between their containers
# description: >-
#   A bias job spread over several instances moves the data it analyses, and model
#   information, between them. A model bias job definition whose
#   JobResources.ClusterConfig.InstanceCount is 2 or more must set
#   NetworkConfig.EnableInterContainerTrafficEncryption to true, as Security Hub asks. A
#   single-instance definition has no inter-container traffic and gets no finding; a
#   definition whose instance count is not a number fails.
# custom:
#   id: MLW-ENC-022
#   severity: medium
#   category: encryption
#   resource_types: [AWS::SageMaker::ModelBiasJobDefinition]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.15]
#     NIST-800-53: [SC-8, SC-8(1)]
#     ISO-42001: [A.7.2]
#   remediation:
#     steps:
#       - >-
#         Set NetworkConfig.EnableInterContainerTrafficEncryption to true on the model bias job.
#       - >-
#         Monitoring job definitions cannot be changed: create a new one with the fix, point the monitoring
#         schedule at it (aws sagemaker update-monitoring-schedule), then delete the old one; a schedule with
#         its job defined inline is fixed with update-monitoring-schedule directly.
#   evidence: [properties.JobResources.ClusterConfig.InstanceCount, properties.NetworkConfig]
package mlwarden.encryption.monitoring_bias_inter_container_encryption

import rego.v1

import data.mlwarden.lib.monitoring
import data.mlwarden.lib.util

count_value := util.prop(["JobResources", "ClusterConfig", "InstanceCount"])

# Single-instance definitions are outside the control's population.
applies if not is_number(count_value)

applies if {
	is_number(count_value)
	count_value >= 2
}

deny contains util.violation(msg, ["properties", "JobResources", "ClusterConfig", "InstanceCount"]) if {
	applies
	not is_number(count_value)
	msg := concat("", [
		monitoring.what, " has no numeric JobResources.ClusterConfig.InstanceCount: ",
		"could not determine whether its containers talk to each other",
	])
}

deny contains util.violation(msg, ["properties", "NetworkConfig", "EnableInterContainerTrafficEncryption"]) if {
	applies
	is_number(count_value)
	not util.is_true(util.prop(["NetworkConfig", "EnableInterContainerTrafficEncryption"]))
	msg := concat("", [
		monitoring.what, " runs on ", util.int_text(count_value),
		" instances without encrypting inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption)",
	])
}
