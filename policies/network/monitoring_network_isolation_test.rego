package mlwarden.network.monitoring_network_isolation_test

import rego.v1

import data.mlwarden.network.monitoring_network_isolation

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_isolation": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableNetworkIsolation": false}}}}}}},
	"fails_unknown_job_definition": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality"}}}}},
	"passes_inline": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality", "MonitoringJobDefinition": {"NetworkConfig": {"EnableNetworkIsolation": true}}}}}}},
	"passes_resolved": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::MonitoringSchedule", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"MonitoringScheduleConfig": {"MonitoringType": "DataQuality"}}, "facts": {"job_definition": {"NetworkConfig": {"EnableNetworkIsolation": true}}}}}},
}

check(name) if count(monitoring_network_isolation.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_isolation if check("fails_without_isolation")

test_fails_unknown_job_definition if check("fails_unknown_job_definition")

test_passes_inline if check("passes_inline")

test_passes_resolved if check("passes_resolved")
