# The job definition a monitoring schedule runs.
#
# A schedule either carries it inline (MonitoringScheduleConfig.MonitoringJobDefinition)
# or names a separate data-quality / model-quality / bias / explainability job
# definition (MonitoringJobDefinitionName); the collector then resolves that
# definition into facts.job_definition, in the same MonitoringJobDefinition shape
# (MonitoringOutputConfig, MonitoringResources.ClusterConfig, NetworkConfig).
package mlwarden.lib.monitoring

import rego.v1

import data.mlwarden.lib.util

inline := object.get(util.props, ["MonitoringScheduleConfig", "MonitoringJobDefinition"], null)

resolved := object.get(util.facts, "job_definition", null)

# Undefined when neither is an object: rules that read it start with `known`.
job_definition := inline if is_object(inline)

job_definition := resolved if {
	not is_object(inline)
	is_object(resolved)
}

known if is_object(inline)

known if is_object(resolved)

unknown_msg := concat("", [
	util.what("monitoring schedule"),
	": could not determine its job definition (neither inline nor resolved in facts.job_definition)",
])
