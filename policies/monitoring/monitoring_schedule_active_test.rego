package mlwarden.monitoring.monitoring_schedule_active_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.monitoring_schedule_active

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_stopped": {"want": [{"msg": "monitoring schedule r1 is Stopped, not Scheduled", "path": ["properties", "MonitoringScheduleStatus"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleStatus": "Stopped"}}}},
	"fails_failed": {"want": [{"msg": "monitoring schedule r1 is Failed, not Scheduled", "path": ["properties", "MonitoringScheduleStatus"]}], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleStatus": "Failed"}}}},
	"passes_scheduled": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleStatus": "Scheduled"}}}},
	"passes_template_without_status": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
}

check(name) if testing.matches(monitoring_schedule_active.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_stopped if check("fails_stopped")

test_fails_failed if check("fails_failed")

test_passes_scheduled if check("passes_scheduled")

test_passes_template_without_status if check("passes_template_without_status")
