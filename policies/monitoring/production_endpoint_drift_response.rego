# METADATA
# title: Production endpoints' drift monitors trigger retraining or a notification
# description: >-
#   A monitor that measures drift and tells nobody is no control. A production endpoint needs
#   a data-quality or model-quality monitoring schedule with baseline constraints whose
#   Model Monitor metrics are watched by a CloudWatch alarm that acts: an alarm action (an
#   SNS topic, a Lambda function, an incident), or an enabled EventBridge rule on the alarm's
#   state change whose target starts a SageMaker pipeline (retraining), notifies or runs
#   code. Alarms are linked by namespace (aws/sagemaker/Endpoints/data-metrics or
#   model-metrics) and their Endpoint and MonitoringSchedule dimensions. What the monitors
#   trigger is derived from the region's alarms, rules, rule targets and schedules; when any
#   of those could not be read the drift_response facet is incomplete and this policy is
#   NOT_ASSESSED, naming the read.
# custom:
#   id: MLW-MON-012
#   severity: high
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, drift_response]
#   controls:
#     NIST-800-53: [SI-4, SI-4(5), CA-7, IR-4]
#     ISO-42001: [A.6.2.6, A.6.2.4]
#   remediation:
#     steps:
#       - >-
#         Give the endpoint's data-quality (or model-quality) schedule a baseline: run a baselining job
#         (DefaultModelMonitor.suggest_baseline) and set BaselineConfig.ConstraintsResource on the schedule.
#       - >-
#         Create a CloudWatch alarm on the schedule's metrics (namespace aws/sagemaker/Endpoints/data-metrics,
#         metric feature_baseline_drift_<feature>, dimensions Endpoint and MonitoringSchedule) with an SNS
#         topic as its alarm action (aws cloudwatch put-metric-alarm).
#       - >-
#         To retrain on drift, add an EventBridge rule on the alarm's state change (detail-type CloudWatch
#         Alarm State Change, detail.alarmName, state ALARM) whose target is the retraining pipeline
#         (aws events put-rule, then put-targets with SageMakerPipelineParameters).
#   evidence: [facts.drift_response]
package mlwarden.monitoring.production_endpoint_drift_response

import rego.v1

import data.mlwarden.lib.drift
import data.mlwarden.lib.util

applies if util.is_production

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	not drift.known
	msg := concat("", [
		util.what("production endpoint"),
		": could not determine what its monitors trigger (facts.drift_response is missing)",
	])
}

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	drift.known
	count(drift.quality) == 0
	msg := concat("", [
		util.what("production endpoint"),
		" has no data-quality or model-quality monitoring schedule: drift is not measured",
	])
}

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	drift.known
	count(drift.quality) > 0
	not some_monitor_acts
	msg := concat("", [
		util.what("production endpoint"), ": drift triggers nothing (",
		concat("; ", sort([why(s) | some s in drift.quality])), ")",
	])
}

some_monitor_acts if {
	some s in drift.quality
	drift.has_constraints(s)
	drift.acts(s)
}

why(s) := concat("", ["schedule ", drift.name(s), " has no baseline constraints"]) if {
	not drift.has_constraints(s)
}

why(s) := concat("", ["no CloudWatch alarm watches the metrics of schedule ", drift.name(s)]) if {
	drift.has_constraints(s)
	count(drift.alarms(s)) == 0
}

why(s) := msg if {
	drift.has_constraints(s)
	count(drift.alarms(s)) > 0
	msg := concat("", [
		"alarm(s) ", concat(", ", sort([drift.name(a) | some a in drift.alarms(s)])), " on schedule ",
		drift.name(s), " start no retraining, notification or automation",
	])
}
