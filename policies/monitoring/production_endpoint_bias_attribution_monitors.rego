# METADATA
# title: Production endpoints run bias-drift and feature-attribution monitors where required
# description: >-
#   Data and model quality say whether a model still predicts well, not whether it has
#   become unfair to a group or now leans on different features. Where the organisation
#   asks for them (settings.drift.require_bias_monitor, settings.drift.require_feature_attribution_monitor;
#   both off by default), a production endpoint has a ModelBias monitoring schedule (SageMaker
#   Clarify bias drift) and a ModelExplainability one (feature attribution drift). The
#   schedules come from the drift_response facet; when it is incomplete the policy is
#   NOT_ASSESSED, naming the read.
# custom:
#   id: MLW-MON-014
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, drift_response]
#   controls:
#     NIST-800-53: [SI-4, CA-7]
#     ISO-42001: [A.5.4, A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Create a model bias job definition and schedule for the endpoint (SageMaker Clarify:
#         ModelBiasMonitor.create_monitoring_schedule, or aws sagemaker create-model-bias-job-definition and
#         create-monitoring-schedule with MonitoringType ModelBias).
#       - >-
#         Likewise for feature attribution drift: ModelExplainabilityMonitor.create_monitoring_schedule, or a
#         model explainability job definition and a schedule with MonitoringType ModelExplainability.
#   evidence: [facts.drift_response]
package mlwarden.monitoring.production_endpoint_bias_attribution_monitors

import rego.v1

import data.mlwarden.lib.drift
import data.mlwarden.lib.util

settings := util.as_object(object.get(util.settings, "drift", {}))

# Monitor kind → (setting that requires it, how messages name it).
monitors := {
	"ModelBias": ["require_bias_monitor", "bias drift (ModelBias)"],
	"ModelExplainability": ["require_feature_attribution_monitor", "feature attribution drift (ModelExplainability)"],
}

required contains kind if {
	some kind, m in monitors
	object.get(settings, m[0], false) == true
}

applies if {
	util.is_production
	count(required) > 0
}

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	not drift.known
	msg := concat("", [
		util.what("production endpoint"),
		": could not determine its monitoring schedules (facts.drift_response is missing)",
	])
}

deny contains util.violation(msg, ["facts", "drift_response"]) if {
	applies
	drift.known
	some kind in required
	not kind in drift.kinds
	msg := concat("", [
		util.what("production endpoint"), " has no ", monitors[kind][1], " monitoring schedule (settings.drift.",
		monitors[kind][0], ")",
	])
}
