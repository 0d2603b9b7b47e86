# The monitoring job a schedule or a job definition describes.
#
# Two populations share the monitoring policies:
# - a monitoring schedule (AWS::SageMaker::MonitoringSchedule) carries its job definition
#   inline (MonitoringScheduleConfig.MonitoringJobDefinition) or names a data-quality,
#   model-quality, bias or explainability job definition (MonitoringJobDefinitionName);
#   mlwarden resolves a named definition from the scanned inventory, in the same account
#   and region (or by ARN in another scanned account), into facts.job_definition in the
#   inline shape, or says why it could not in facts.job_definition_unresolved;
# - a job definition (AWS::SageMaker::<Kind>JobDefinition) is judged itself: its
#   <Kind>JobOutputConfig, JobResources and NetworkConfig are read as the inline shape's
#   MonitoringOutputConfig, MonitoringResources and NetworkConfig.
# `job_definition` is that one shape for both; rules that read it start with `known`.
package mlwarden.lib.monitoring

import rego.v1

import data.mlwarden.lib.util

schedule_type := "AWS::SageMaker::MonitoringSchedule"

rtype := object.get(input.resource, "type", "")

# "DataQuality" for AWS::SageMaker::DataQualityJobDefinition; undefined for other types.
kind := k if {
	startswith(rtype, "AWS::SageMaker::")
	endswith(rtype, "JobDefinition")
	k := trim_suffix(trim_prefix(rtype, "AWS::SageMaker::"), "JobDefinition")
	k in {"DataQuality", "ModelQuality", "ModelBias", "ModelExplainability"}
}

is_definition if kind

inline := object.get(util.props, ["MonitoringScheduleConfig", "MonitoringJobDefinition"], null)

resolved := object.get(util.facts, "job_definition", null)

own := {
	"MonitoringOutputConfig": util.as_object(object.get(util.props, concat("", [kind, "JobOutputConfig"]), {})),
	"MonitoringResources": util.as_object(object.get(util.props, "JobResources", {})),
	"NetworkConfig": util.as_object(object.get(util.props, "NetworkConfig", {})),
} if {
	is_definition
}

job_definition := own if is_definition

job_definition := inline if {
	not is_definition
	is_object(inline)
}

job_definition := resolved if {
	not is_definition
	not is_object(inline)
	is_object(resolved)
}

known if is_definition

known if is_object(inline)

known if is_object(resolved)

# How messages name the resource: "monitoring schedule s1", "model bias job definition d1".
words := {
	"DataQuality": "data quality job definition",
	"ModelQuality": "model quality job definition",
	"ModelBias": "model bias job definition",
	"ModelExplainability": "model explainability job definition",
}

default what := "?"

what := util.what(words[kind]) if is_definition

what := util.what("monitoring schedule") if not is_definition

unresolved := object.get(util.facts, "job_definition_unresolved", "")

unknown_msg := concat("", [what, ": could not determine its job definition (", reason, ")"])

# Where a field of the inline shape (["MonitoringOutputConfig", "KmsKeyId"]) sits in the
# resource document: in a job definition's own properties, in the schedule's inline
# definition, or in the definition resolved into facts.job_definition.
path(p) := array.concat(["properties", own_fields[p[0]]], array.slice(p, 1, count(p))) if is_definition

path(p) := array.concat(["properties", "MonitoringScheduleConfig", "MonitoringJobDefinition"], p) if {
	not is_definition
	is_object(inline)
}

path(p) := array.concat(["facts", "job_definition"], p) if {
	not is_definition
	not is_object(inline)
}

own_fields := {
	"MonitoringOutputConfig": concat("", [kind, "JobOutputConfig"]),
	"MonitoringResources": "JobResources",
	"NetworkConfig": "NetworkConfig",
}

# The path an unknown job definition is about: the name that did not resolve, else
# the inline definition that is missing.
default unknown_path := ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinition"]

unknown_path := ["properties", "MonitoringScheduleConfig", "MonitoringJobDefinitionName"] if {
	util.present(object.get(util.props, ["MonitoringScheduleConfig", "MonitoringJobDefinitionName"], ""))
}

reason := unresolved if util.present(unresolved)

reason := "neither inline nor resolved in facts.job_definition" if not util.present(unresolved)
