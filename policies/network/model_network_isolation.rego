# METADATA
# title: Models run their containers with network isolation
# description: >-
#   With network isolation the model's containers cannot make outbound network calls, so
#   third-party or compromised code cannot send data or model weights out.
#   EnableNetworkIsolation must be true.
# custom:
#   id: MLW-NET-008
#   severity: high
#   category: network
#   resource_types: [AWS::SageMaker::Model]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.5]
#     NIST-800-53: [SC-7, SC-7(5), AC-4]
#     ISO-42001: [A.6.2.5, A.7.2]
#   remediation:
#     steps:
#       - >-
#         Set EnableNetworkIsolation to true on the new model.
#       - >-
#         A model cannot be changed: create a new model, then a new endpoint configuration that uses it, and
#         move the endpoint to it (aws sagemaker update-endpoint).
#   evidence: [properties.EnableNetworkIsolation]
package mlwarden.network.model_network_isolation

import rego.v1

import data.mlwarden.lib.util

deny contains util.violation(msg, ["properties", "EnableNetworkIsolation"]) if {
	not util.is_true(util.prop(["EnableNetworkIsolation"]))
	msg := concat("", [
		util.what("model"),
		" does not isolate its containers from the network (EnableNetworkIsolation is not true)",
	])
}
