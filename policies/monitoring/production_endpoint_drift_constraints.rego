# METADATA
# title: Production endpoints' data-quality baselines report drift at the organisation's threshold
# description: >-
#   A data-quality monitor reports a feature as drifted when the distance between its live and
#   baseline distributions exceeds the baseline constraints' distribution_constraints.comparison_threshold
#   (constraints.json in S3, written by the baselining job; Model Monitor uses 0.1 when it is
#   absent), and publishes the metrics alarms watch only while emit_metrics is not Disabled.
#   For each data-quality schedule of a production endpoint that names baseline constraints,
#   the constraints must evaluate (evaluate_constraints and distribution_constraints.perform_comparison
#   not Disabled), emit metrics, and compare at no more than
#   settings.drift.feature_drift_threshold_percent (default 15 %). The constraints are read with
#   the schedule or its job definition (s3:GetObject); a file that could not be read makes the
#   drift_constraints facet incomplete: NOT_ASSESSED, naming the read.
# custom:
#   id: MLW-MON-015
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, drift_response, drift_constraints]
#   controls:
#     NIST-800-53: [SI-4, CA-7]
#     ISO-42001: [A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Edit the baseline's constraints.json (or run the baselining job again and edit what it suggests):
#         set monitoring_config.emit_metrics and evaluate_constraints to Enabled, and
#         distribution_constraints.perform_comparison to Enabled with a comparison_threshold no higher than
#         the organisation's (0.15 for 15 %); upload it where the schedule's ConstraintsResource points.
#   evidence: [facts.drift_constraints]
package mlwarden.monitoring.production_endpoint_drift_constraints

import rego.v1

import data.mlwarden.lib.drift
import data.mlwarden.lib.util

default percent := 15

percent := p if {
	p := object.get(util.as_object(object.get(util.settings, "drift", {})), "feature_drift_threshold_percent", null)
	is_number(p)
}

configs := object.get(util.facts, "drift_constraints", null)

# Data-quality schedules that name baseline constraints.
baselined := [s | some s in drift.data_quality; drift.has_constraints(s)]

applies if {
	util.is_production
	not drift.known
}

applies if {
	util.is_production
	count(baselined) > 0
}

deny contains util.violation(msg, ["facts", "drift_constraints"]) if {
	applies
	not is_object(configs)
	msg := concat("", [
		util.what("production endpoint"),
		": could not determine its monitors' baseline constraints (facts.drift_constraints is missing)",
	])
}

deny contains util.violation(msg, ["facts", "drift_constraints"]) if {
	applies
	some name, c in util.as_object(configs)
	some key in ["emit_metrics", "evaluate_constraints"]
	object.get(util.as_object(c), key, "Enabled") == "Disabled"
	msg := concat("", [util.what("production endpoint"), ": the baseline of schedule ", name, " sets ", key, " Disabled"])
}

deny contains util.violation(msg, ["facts", "drift_constraints"]) if {
	applies
	some name, c in util.as_object(configs)
	dist := util.as_object(object.get(util.as_object(c), "distribution_constraints", {}))
	object.get(dist, "perform_comparison", "Enabled") == "Disabled"
	msg := concat("", [
		util.what("production endpoint"), ": the baseline of schedule ", name,
		" does not compare feature distributions (distribution_constraints.perform_comparison Disabled)",
	])
}

# Model Monitor compares at 0.1 when the constraints do not say; a small tolerance for 0.15 * 100.
deny contains util.violation(msg, ["facts", "drift_constraints"]) if {
	applies
	some name, c in util.as_object(configs)
	dist := util.as_object(object.get(util.as_object(c), "distribution_constraints", {}))
	t := object.get(dist, "comparison_threshold", 0.1)
	is_number(t)
	(t * 100) - percent > 0.000001
	msg := concat("", [
		util.what("production endpoint"), ": the baseline of schedule ", name, " reports drift only from a distance of ",
		util.int_text(round(t * 100)), " % (comparison_threshold), above the organisation's ", util.int_text(percent),
		" % (settings.drift.feature_drift_threshold_percent)",
	])
}

deny contains util.violation(msg, ["facts", "drift_constraints"]) if {
	applies
	some name, c in util.as_object(configs)
	dist := util.as_object(object.get(util.as_object(c), "distribution_constraints", {}))
	not is_number(object.get(dist, "comparison_threshold", 0.1))
	msg := concat("", [
		util.what("production endpoint"), ": the baseline of schedule ", name, " has a comparison_threshold that is ",
		"not a number",
	])
}
