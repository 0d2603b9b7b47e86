# METADATA
# title: Production endpoints have a model monitoring schedule
# description: >-
#   Data capture alone does not raise an alarm: a monitoring schedule (data quality, model
#   quality, bias or explainability) compares live traffic with a baseline.
#   facts.monitoring_schedules (a count or a list of schedule names, from the collector)
#   must show at least one; an endpoint the collector could not match with schedules
#   fails.
# custom:
#   id: MLW-MON-002
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, monitoring]
#   controls:
#     NIST-800-53: [SI-4, AU-12]
#     ISO-42001: [A.6.2.6, A.6.2.4]
#   remediation:
#     steps:
#       - >-
#         Turn on data capture for the endpoint, then create a monitoring schedule for it
#         (CreateMonitoringSchedule with a data-quality job definition; SDK:
#         DefaultModelMonitor.create_monitoring_schedule).
#   evidence: [facts.monitoring_schedules]
package mlwarden.monitoring.production_endpoint_monitoring_schedule

import rego.v1

import data.mlwarden.lib.util

applies if util.is_production

schedules := object.get(util.facts, "monitoring_schedules", null)

# Always defined (null when unknown), so the rules below tell "unknown" from "none"
# without negating an undefined value.
default n := null

n := schedules if {
	is_number(schedules)
} else := count(schedules) if {
	is_array(schedules)
}

deny contains util.violation(msg, ["facts", "monitoring_schedules"]) if {
	applies
	not is_number(n)
	msg := concat("", [
		util.what("production endpoint"),
		": could not determine its monitoring schedules (facts.monitoring_schedules is missing)",
	])
}

deny contains util.violation(msg, ["facts", "monitoring_schedules"]) if {
	applies
	n == 0
	msg := concat("", [util.what("production endpoint"), " has no model monitoring schedule"])
}
