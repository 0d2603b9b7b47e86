# METADATA
# title: Production endpoints alarm on feature drift at the organisation's threshold
# description: >-
#   Model Monitor's data-quality job publishes, per feature, the distance between the live
#   distribution and the baseline's (metric feature_baseline_drift_<feature>, 0 to 1: the
#   same distance the baseline constraints' distribution_constraints.comparison_threshold is
#   compared with). An alarm on it is where the threshold that acts is set. For a production
#   endpoint with a data-quality schedule, an alarm must watch a feature_baseline_drift metric
#   of that schedule, alarm when the distance rises above its threshold (GreaterThanThreshold
#   or GreaterThanOrEqualToThreshold), and that threshold must not exceed
#   settings.drift.feature_drift_threshold_percent (default 15, a 15 % change in a feature's
#   distribution). Alarms and schedules that could not be read make the drift_response facet
#   incomplete: NOT_ASSESSED, never a pass.
# custom:
#   id: MLW-MON-013
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, drift_response]
#   controls:
#     NIST-800-53: [SI-4, CA-7]
#     ISO-42001: [A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Create or update the CloudWatch alarm on the data-quality schedule's drift metric (namespace
#         aws/sagemaker/Endpoints/data-metrics, metric feature_baseline_drift_<feature>, dimensions Endpoint
#         and MonitoringSchedule) with ComparisonOperator GreaterThanThreshold and a Threshold no higher
#         than the organisation's (0.15 for 15 %) (aws cloudwatch put-metric-alarm).
#   evidence: [facts.drift_response]
package mlwarden.monitoring.production_endpoint_drift_threshold

import rego.v1

import data.mlwarden.lib.drift
import data.mlwarden.lib.util

default percent := 15

percent := p if {
	p := object.get(util.as_object(object.get(util.settings, "drift", {})), "feature_drift_threshold_percent", null)
	is_number(p)
}

rising := {"GreaterThanThreshold", "GreaterThanOrEqualToThreshold"}

# In scope: production endpoints whose monitors are unknown, or that run a data-quality monitor.
applies if {
	util.is_production
	not drift.known
}

applies if {
	util.is_production
	count(drift.data_quality) > 0
}

drift_alarms := [a | some s in drift.data_quality; some a in drift.feature_alarms(s)]

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	not drift.known
	msg := concat("", [
		util.what("production endpoint"),
		": could not determine the alarms on its drift metrics (facts.drift_response is missing)",
	])
}

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	drift.known
	count(drift_alarms) == 0
	msg := concat("", [
		util.what("production endpoint"), ": no alarm watches a feature_baseline_drift metric of its ",
		"data-quality schedule(s) ", concat(", ", sort([drift.name(s) | some s in drift.data_quality])),
		", so feature drift has no threshold",
	])
}

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	some a in drift_alarms
	not object.get(a, "comparison", "") in rising
	msg := concat("", [
		util.what("production endpoint"), ": alarm ", drift.name(a), " compares drift with ",
		util.show(object.get(a, "comparison", "")), " (it must alarm when the distance rises above its threshold)",
	])
}

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	some a in drift_alarms
	t := object.get(a, "threshold", null)
	not is_number(t)
	msg := concat("", [util.what("production endpoint"), ": alarm ", drift.name(a), " has no numeric threshold"])
}

# A small tolerance: 0.15 * 100 is 15.000000000000002 in binary floating point.
deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	some a in drift_alarms
	t := object.get(a, "threshold", null)
	is_number(t)
	(t * 100) - percent > 0.000001
	msg := concat("", [
		util.what("production endpoint"), ": alarm ", drift.name(a), " fires only at a distance of ",
		util.int_text(round(t * 100)), " % from the baseline, above the organisation's ", util.int_text(percent),
		" % (settings.drift.feature_drift_threshold_percent)",
	])
}
