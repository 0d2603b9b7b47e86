# METADATA
# title: Processing jobs run their containers with network isolation
# description: >-
#   With network isolation the processing job's containers cannot make outbound network
#   calls, so third-party or compromised code cannot send data or model weights out.
#   NetworkConfig.EnableNetworkIsolation must be true.
# custom:
#   id: MLW-NET-006
#   severity: high
#   category: network
#   resource_types: [MLW::SageMaker::ProcessingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-7, SC-7(5), AC-4]
#     ISO-42001: [A.6.2.5, A.7.2]
#   remediation:
#     steps:
#       - >-
#         Set NetworkConfig.EnableNetworkIsolation to true (SDK:
#         NetworkConfig(enable_network_isolation=True)).
#       - >-
#         A processing job cannot be changed once started: fix its definition (SDK processor, pipeline step or
#         CreateProcessingJob call) and run it again.
#   evidence: [properties.NetworkConfig.EnableNetworkIsolation]
package mlwarden.network.processing_network_isolation

import rego.v1

import data.mlwarden.lib.util

deny contains util.violation(msg, ["properties", "NetworkConfig", "EnableNetworkIsolation"]) if {
	not util.is_true(util.prop(["NetworkConfig", "EnableNetworkIsolation"]))
	msg := concat("", [
		util.what("processing job"),
		" does not isolate its containers from the network (NetworkConfig.EnableNetworkIsolation is not true)",
	])
}
