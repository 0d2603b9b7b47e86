# METADATA
# title: Endpoint instances stay below their per-type quotas
# description: >-
#   Scaling out or redeploying an endpoint (blue/green needs a second fleet) fails when
#   the instance type's endpoint quota is used up. For each instance type in
#   facts.endpoint_instances (production and shadow variants' instances: a shadow
#   runs on instances of its own), instances in service must stay below
#   settings.quota_headroom_percent of the quota named '<type> for endpoint usage'.
#   Missing quota values are reported, never assumed.
# custom:
#   id: MLW-LIM-002
#   severity: medium
#   category: service-limits
#   resource_types: [MLW::SageMaker::ServiceUsage]
#   facets: [describe, endpoint_usage, quotas]
#   controls:
#     NIST-800-53: [CP-2(2), SC-5]
#     ISO-42001: [A.4.5]
#   remediation: quota-increase
#   evidence: [facts.endpoint_instances, properties.Quotas]
package mlwarden.service_limits.endpoint_instance_quota

import rego.v1

import data.mlwarden.lib.util

instances := util.as_object(object.get(util.facts, "endpoint_instances", {}))

headroom := object.get(util.settings, "quota_headroom_percent", 80)

quota_for[itype] := q.Value if {
	some q in util.as_object(object.get(util.props, "Quotas", {}))
	is_object(q)
	is_number(object.get(q, "Value", null))
	name := object.get(q, "QuotaName", "")
	is_string(name)
	endswith(name, " for endpoint usage")
	itype := trim_suffix(name, " for endpoint usage")
}

deny contains util.violation(msg, ["facts", "endpoint_instances"]) if {
	some itype, used in instances
	is_number(used)
	quota := quota_for[itype]
	util.at_least_percent(used, quota, headroom)
	msg := concat("", [
		"endpoints in ", input.resource.id, " use ", util.int_text(used), " ", itype, " instances of a quota of ",
		util.int_text(quota), " (limit ", util.int_text(headroom), "%)",
	])
}

deny contains util.violation(msg, ["properties", "Quotas"]) if {
	some itype, used in instances
	is_number(used)
	used > 0
	not quota_for[itype]
	msg := concat("", [
		"endpoints in ",
		input.resource.id,
		" use ",
		itype,
		" instances: could not determine the quota for them (Quotas)",
	])
}
