# METADATA
# title: Pipelines check quality or bias before they register a model
# description: >-
#   A pipeline that registers model packages must judge the model before the
#   registration: a QualityCheck or ClarifyCheck step (not skipped through SkipCheck), or a
#   Condition step on evaluation metrics (a value read from a step's property file with
#   Std:JsonGet, or a training metric), must come before every RegisterModel step (and
#   every Model step that creates a package). "Before" means upstream in the pipeline's
#   graph: through DependsOn, through a data dependency (an argument that reads another
#   step's properties), or through a Condition step whose branch holds the step. A
#   registration into Approved that skips the gate is named as such. Pipelines that
#   register nothing are out of scope; a definition that cannot be read fails.
# custom:
#   id: MLW-REG-008
#   severity: high
#   category: registry-governance
#   resource_types: [AWS::SageMaker::Pipeline]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-3, CM-4, SA-11]
#     ISO-42001: [A.6.2.4, A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Add a QualityCheck or ClarifyCheck step, or a Condition step on the evaluation
#         metrics, before every RegisterModel step (DependsOn or a condition branch that holds
#         it), and do not skip it (SkipCheck false).
#       - >-
#         Register new versions as PendingManualApproval and approve them after the check has
#         passed.
#   evidence: [properties.PipelineDefinition, facts.steps]
package mlwarden.registry_governance.pipeline_registration_gate

import rego.v1

import data.mlwarden.lib.pipeline
import data.mlwarden.lib.util

applies if not pipeline.known

applies if some _ in registering

# Steps that create a model package: RegisterModel, or a Model step given a
# CreateModelPackage request (a group to register into).
registering contains step if {
	some step in pipeline.steps
	step.Type == "RegisterModel"
}

registering contains step if {
	some step in pipeline.steps
	step.Type == "Model"
	is_string(object.get(step.Arguments, "ModelPackageGroupName", null))
}

# The step a property reference reads ({"Get": "Steps.Evaluate.PropertyFiles.Report"}).
step_ref(v) := split(v.Get, ".")[1] if {
	is_object(v)
	is_string(object.get(v, "Get", null))
	startswith(v.Get, "Steps.")
}

# What a step's own arguments read: a Condition step's branches are steps of their own.
own_arguments(step) := object.get(step.Arguments, "Conditions", []) if step.Type == "Condition"

own_arguments(step) := step.Arguments if step.Type != "Condition"

# The steps that run before a step: DependsOn, data dependencies, and the Condition
# steps whose IfSteps / ElseSteps hold it.
upstream(step) := ({d | some d in util.as_array(object.get(step, "DependsOn", [])); is_string(d)} | {d |
	args := own_arguments(step)
	walk(args, [_, v])
	d := step_ref(v)
}) | {c.Name |
	some c in pipeline.steps
	c.Type == "Condition"
	some branch in ["IfSteps", "ElseSteps"]
	some inner in util.as_array(object.get(c.Arguments, branch, []))
	is_object(inner)
	object.get(inner, "Name", null) == step.Name
}

names contains step.Name if some step in pipeline.steps

edges[name] := {d | some s in pipeline.steps; s.Name == name; some d in upstream(s)} if some name in names

# A check step that is not skipped (SkipCheck is a step field; a parameter is judged
# by its default).
gate(step) if {
	step.Type in {"QualityCheck", "ClarifyCheck"}
	pipeline.resolve(object.get(step, "SkipCheck", object.get(step.Arguments, "SkipCheck", false))) != true
}

# A Condition on evaluation metrics: it reads a step's property file or a metric.
gate(step) if {
	step.Type == "Condition"
	conditions := object.get(step.Arguments, "Conditions", [])
	walk(conditions, [_, v])
	metric_value(v)
}

metric_value(v) if {
	is_object(v)
	is_object(object.get(v, "Std:JsonGet", null))
}

metric_value(v) if {
	step_ref(v)
	some part in ["PropertyFiles", "FinalMetricDataList", "Metric"]
	contains(v.Get, part)
}

gates contains step.Name if {
	some step in pipeline.steps
	gate(step)
}

gated(step) if {
	some g in graph.reachable(edges, {step.Name})
	g != step.Name
	g in gates
}

deny contains util.violation(pipeline.unknown_msg, pipeline.unknown_path) if not pipeline.known

deny contains util.violation(msg, pipeline.arg_path(step, ["ModelApprovalStatus"])) if {
	some step in registering
	not gated(step)
	approved := pipeline.arg(step, ["ModelApprovalStatus"]) == "Approved"
	msg := concat("", [
		pipeline.step_what(step),
		registers(approved),
		" with no quality check, bias check or condition on evaluation metrics before it",
	])
}

registers(true) := " registers models as Approved"

registers(false) := " registers models"
