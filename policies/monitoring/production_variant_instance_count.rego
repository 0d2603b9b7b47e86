# METADATA
# title: Endpoint variants run on at least two instances
# description: >-
#   A variant on one instance goes down with that instance or its Availability Zone.
#   Every endpoint configuration (and the configuration of every endpoint, via
#   input.related.endpoint_config, else the endpoint's own described variants and their
#   DesiredInstanceCount / CurrentInstanceCount) must give every instance-based variant 2
#   or more instances; serverless variants are exempt. An organisation that asks this of
#   production only lists MLW-MON-003 in settings.production_only: the policy then judges
#   resources tagged as production (settings.production) and no longer delivers
#   Security Hub's SageMaker.4, which judges every endpoint configuration.
# custom:
#   id: MLW-MON-003
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint, AWS::SageMaker::EndpointConfig]
#   facets: [describe, tags]
#   controls:
#     AWS-FSBP: [SageMaker.4]
#     NIST-800-53: [CP-10, SC-5, SC-36]
#     ISO-42001: [A.6.2.6]
#   remediation: endpoint-redeploy
#   evidence: [properties.ProductionVariants]
package mlwarden.monitoring.production_variant_instance_count

import rego.v1

import data.mlwarden.lib.util

# Every resource, as SageMaker.4 asks; production only where the organisation says so.
applies if not "MLW-MON-003" in util.as_array(object.get(util.settings, "production_only", []))

applies if util.is_production

configs := object.get(object.get(input, "related", {}), "endpoint_config", [])

own_variants := util.as_array(util.prop("ProductionVariants"))

# The variants judged; null when they could not be read (kept defined, so the rules
# below never negate an undefined value).
default variants := null

variants := own_variants if {
	input.resource.type == "AWS::SageMaker::EndpointConfig"
} else := object.get(configs[0], ["properties", "ProductionVariants"], []) if {
	count(configs) > 0
} else := own_variants if {
	count(own_variants) > 0
}

# Where the judged variants sit: the endpoint configuration's own, or its related one's.
default variants_path := ["properties", "ProductionVariants"]

variants_path := ["related", "endpoint_config", 0, "properties", "ProductionVariants"] if {
	input.resource.type != "AWS::SageMaker::EndpointConfig"
	count(configs) > 0
}

serverless(v) if util.present(object.get(v, "ServerlessConfig", ""))

serverless(v) if util.present(object.get(v, "CurrentServerlessConfig", ""))

# Configured count, else what the endpoint describes as desired, else as running.
instances(v) := object.get(v, "InitialInstanceCount", running(v))

running(v) := object.get(v, "DesiredInstanceCount", object.get(v, "CurrentInstanceCount", 1))

deny contains util.violation(msg, ["related", "endpoint_config"]) if {
	applies
	not is_array(variants)
	msg := concat("", [
		util.what(util.noun),
		": could not determine its production variants (endpoint configuration not read)",
	])
}

deny contains util.violation(msg, array.concat(variants_path, [i, "InitialInstanceCount"])) if {
	applies
	is_array(variants)
	some i, v in variants
	is_object(v)
	not serverless(v)
	n := instances(v)
	is_number(n)
	n < 2
	msg := concat("", [
		util.what(util.noun),
		" runs variant ",
		object.get(v, "VariantName", "?"),
		" on ",
		util.int_text(n),
		" instance(s)",
	])
}
