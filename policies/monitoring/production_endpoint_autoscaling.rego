# METADATA
# title: Production endpoint variants scale automatically
# description: >-
#   A fixed-size production endpoint either pays for peak capacity all day or fails under
#   load. Every instance-based variant (from the endpoint's described ProductionVariants,
#   else its configuration in input.related.endpoint_config, else the keys of
#   facts.autoscaling) must be registered as an Application Auto Scaling target
#   (facts.autoscaling.<variant>.registered, from the collector); serverless variants
#   scale on their own. An endpoint whose scaling could not be read fails.
# custom:
#   id: MLW-MON-004
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, autoscaling]
#   controls:
#     NIST-800-53: [SC-5, CP-2(2)]
#     ISO-42001: [A.6.2.6, A.4.5]
#   remediation:
#     steps:
#       - >-
#         Register each production variant as a scalable target (aws application-autoscaling
#         register-scalable-target --service-namespace sagemaker --scalable-dimension
#         sagemaker:variant:DesiredInstanceCount) with a minimum of two instances.
#       - >-
#         Attach a target-tracking scaling policy on SageMakerVariantInvocationsPerInstance.
#   evidence: [facts.autoscaling]
package mlwarden.monitoring.production_endpoint_autoscaling

import rego.v1

import data.mlwarden.lib.util

applies if util.is_production

autoscaling := util.as_object(object.get(util.facts, "autoscaling", null))

known if is_object(object.get(util.facts, "autoscaling", null))

configs := object.get(object.get(input, "related", {}), "endpoint_config", [])

serverless(v) if util.present(object.get(v, "ServerlessConfig", ""))

serverless(v) if util.present(object.get(v, "CurrentServerlessConfig", ""))

names_of(variants) := [v.VariantName |
	some v in util.as_array(variants)
	is_object(v)
	not serverless(v)
	is_string(object.get(v, "VariantName", null))
]

own_names := names_of(util.prop("ProductionVariants"))

default config_names := []

config_names := names_of(object.get(configs[0], ["properties", "ProductionVariants"], [])) if {
	count(configs) > 0
}

# The variants that must scale: as described, else as configured, else as the fact lists them.
variant_names := own_names if {
	count(own_names) > 0
} else := config_names if {
	count(config_names) > 0
} else := object.keys(autoscaling)

scaled(name) if {
	target := autoscaling[name]
	is_object(target)
	object.get(target, "registered", true) == true
}

deny contains util.violation(msg, ["facts", "autoscaling"]) if {
	applies
	not known
	msg := concat("", [
		util.what("production endpoint"),
		": could not determine its autoscaling (facts.autoscaling is missing)",
	])
}

deny contains util.violation(msg, ["facts", "autoscaling", name]) if {
	applies
	known
	some name in variant_names
	not scaled(name)
	msg := concat("", [util.what("production endpoint"), " variant ", name, " has no autoscaling"])
}

deny contains util.violation(msg, ["facts", "autoscaling"]) if {
	applies
	known
	count(variant_names) == 0
	msg := concat("", [util.what("production endpoint"), " has no autoscaling on any variant"])
}
