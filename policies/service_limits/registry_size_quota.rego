# METADATA
# title: The model registry stays below its model-package quota
# description: >-
#   When a region's model packages reach the quota, pipelines fail at registration. Usage
#   (facts.usage.model_packages) must stay below settings.quota_headroom_percent of the
#   quota: the Service Quotas value whose name mentions model packages when it was read,
#   else settings.default_quotas.model_packages_per_region.
# custom:
#   id: MLW-LIM-001
#   severity: medium
#   category: service-limits
#   resource_types: [MLW::SageMaker::ServiceUsage]
#   facets: [describe, registry_usage, quotas]
#   controls:
#     NIST-800-53: [CP-2(2), SC-5]
#     ISO-42001: [A.4.5]
#   remediation: quota-increase
#   evidence: [facts.usage.model_packages, properties.Quotas]
package mlwarden.service_limits.registry_size_quota

import rego.v1

import data.mlwarden.lib.util

used := object.get(util.facts, ["usage", "model_packages"], null)

read_quotas := [q.Value |
	some q in util.as_object(object.get(util.props, "Quotas", {}))
	is_object(q)
	name := object.get(q, "QuotaName", "")
	is_string(name)
	contains(lower(name), "model package")
	not contains(lower(name), "group") # "model package groups" is another quota
	is_number(object.get(q, "Value", null))
]

quota := read_quotas[0] if count(read_quotas) > 0

quota := object.get(util.settings, ["default_quotas", "model_packages_per_region"], null) if count(read_quotas) == 0

headroom := object.get(util.settings, "quota_headroom_percent", 80)

deny contains util.violation(msg, ["facts", "usage", "model_packages"]) if {
	is_number(used)
	is_number(quota)
	quota > 0
	util.at_least_percent(used, quota, headroom)
	msg := concat("", [
		"model registry in ", input.resource.id, " holds ", util.int_text(used), " model packages, ",
		util.int_text(floor((used * 100) / quota)), "% of its quota of ", util.int_text(quota),
		" (limit ", util.int_text(headroom), "%)",
	])
}

deny contains util.violation(msg, ["facts", "usage", "model_packages"]) if {
	not is_number(used)
	msg := concat("", [
		"model registry in ",
		input.resource.id,
		": could not determine its size (facts.usage.model_packages is missing)",
	])
}

deny contains util.violation(msg, ["properties", "Quotas"]) if {
	is_number(quota)
	quota <= 0
	msg := concat("", ["model registry in ", input.resource.id, ": its model-package quota is 0"])
}
