# METADATA
# title: Model monitoring schedules are running
# description: >-
#   A Stopped or Failed monitoring schedule looks like monitoring in an inventory but
#   watches nothing. MonitoringScheduleStatus must be Scheduled (or Pending while it
#   starts).
# custom:
#   id: MLW-MON-009
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::MonitoringSchedule]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SI-4, AU-12]
#     ISO-42001: [A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Read why the schedule stopped or failed (aws sagemaker describe-monitoring-schedule: FailureReason
#         and the last execution), fix that, then start it again (aws sagemaker start-monitoring-schedule).
#   evidence: [properties.MonitoringScheduleStatus]
package mlwarden.monitoring.monitoring_schedule_active

import rego.v1

import data.mlwarden.lib.util

status := util.prop("MonitoringScheduleStatus")

applies if util.present(status)

deny contains util.violation(msg, ["properties", "MonitoringScheduleStatus"]) if {
	applies
	not status in {"Scheduled", "Pending"}
	msg := concat("", [util.what("monitoring schedule"), " is ", util.show(status), ", not Scheduled"])
}
