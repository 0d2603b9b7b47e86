# METADATA
# title: Endpoints serving large models set start-up timeouts that survive cold starts
# description: >-
#   A variant has to download its model data and pass its container's health check before
#   it serves; with the defaults, a large model fails to start, and a scaling event or an
#   instance replacement under load becomes an outage. Every variant whose model data (its
#   model's containers and their packages, sized by S3 HeadObject) is at least
#   settings.cold_start.large_artifact_gb (default 50 GB) sets ModelDataDownloadTimeoutInSeconds
#   and ContainerStartupHealthCheckTimeoutInSeconds. On an endpoint built on inference
#   components each component is judged by its own model data and
#   Specification.StartupParameters. Warm instances are no alternative: a new instance still
#   downloads the model. A size that could not be read, or components that could not be
#   listed, is NOT_ASSESSED (the artifact_size facet), never a pass.
# custom:
#   id: MLW-MON-011
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, artifact_size]
#   controls:
#     NIST-800-53: [CP-10, SC-5, SA-8]
#     ISO-42001: [A.6.2.4, A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Create a new endpoint configuration whose production variants set
#         ModelDataDownloadTimeoutInSeconds and ContainerStartupHealthCheckTimeoutInSeconds long
#         enough for the model data's size (aws sagemaker create-endpoint-config; up to 3600
#         seconds each).
#       - >-
#         Move the endpoint onto it with a blue/green update (aws sagemaker update-endpoint),
#         then delete the old configuration.
#       - >-
#         For an inference component, set Specification.StartupParameters instead (aws sagemaker
#         update-inference-component).
#   evidence: [properties.EndpointConfigName, facts.variant_artifacts]
package mlwarden.monitoring.endpoint_large_model_startup

import rego.v1

import data.mlwarden.lib.util

variants := object.get(util.facts, "variant_artifacts", null)

default large_gb := 50

large_gb := gb if {
	gb := object.get(util.as_object(object.get(util.settings, "cold_start", {})), "large_artifact_gb", null)
	is_number(gb)
}

# Sizes are compared by the sign of a difference: OPA compares large numbers by their
# text (see util.at_least_percent).
large(v) if {
	is_number(v.bytes)
	v.bytes - (large_gb * 1000000000) >= 0
}

timeouts := ["ModelDataDownloadTimeoutInSeconds", "ContainerStartupHealthCheckTimeoutInSeconds"]

applies if not is_object(variants)

applies if {
	some v in variants
	large(v)
}

deny contains util.violation(msg, ["facts", "variant_artifacts"]) if {
	not is_object(variants)
	msg := concat("", [util.what("endpoint"), ": could not determine the size of the model data its variants serve"])
}

deny contains util.violation(msg, ["facts", "variant_artifacts", name]) if {
	some name, v in variants
	large(v)
	some timeout in timeouts
	not positive(object.get(v, timeout, null))
	msg := concat("", [
		util.what("endpoint"), " ", serving(name, v), " serves ", util.int_text(v.bytes / 1000000000),
		" GB of model data", model(v), " without ", setting(v), timeout,
	])
}

model(v) := concat("", [" (model ", v.ModelName, ")"]) if is_string(object.get(v, "ModelName", null))

model(v) := "" if not is_string(object.get(v, "ModelName", null))

# A variant's own model, or one inference component on it ("<variant>/<component>"); a
# shadow variant (Shadow, scanner/endpoint_artifacts.py) is named as one.
serving(name, v) := concat("", [shadow(v), "variant ", name]) if {
	not is_string(object.get(v, "InferenceComponent", null))
}

serving(name, v) := concat("", ["inference component ", v.InferenceComponent, " (", name, ")"]) if {
	is_string(object.get(v, "InferenceComponent", null))
}

shadow(v) := "shadow " if object.get(v, "Shadow", false) == true

shadow(v) := "" if object.get(v, "Shadow", false) != true

setting(v) := "" if not is_string(object.get(v, "InferenceComponent", null))

setting(v) := "StartupParameters." if is_string(object.get(v, "InferenceComponent", null))

positive(n) if {
	is_number(n)
	n > 0
}
