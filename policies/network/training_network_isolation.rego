# METADATA
# title: Training jobs run their containers with network isolation
# description: >-
#   With network isolation the training job's containers cannot make outbound network
#   calls, so third-party or compromised code cannot send data or model weights out.
#   EnableNetworkIsolation must be true.
# custom:
#   id: MLW-NET-004
#   severity: high
#   category: network
#   resource_types: [MLW::SageMaker::TrainingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-7, SC-7(5), AC-4]
#     ISO-42001: [A.6.2.5, A.7.2]
#   remediation:
#     steps:
#       - >-
#         Set EnableNetworkIsolation to true (SDK: enable_network_isolation=True); the container then reads
#         only the input channels SageMaker mounts.
#       - >-
#         A training job cannot be changed once started: fix its definition (SDK estimator, pipeline step or
#         CreateTrainingJob call) and run it again.
#   evidence: [properties.EnableNetworkIsolation]
package mlwarden.network.training_network_isolation

import rego.v1

import data.mlwarden.lib.util

deny contains util.violation(msg, ["properties", "EnableNetworkIsolation"]) if {
	not util.is_true(util.prop(["EnableNetworkIsolation"]))
	msg := concat("", [
		util.what("training job"),
		" does not isolate its containers from the network (EnableNetworkIsolation is not true)",
	])
}
