# Reading a SageMaker pipeline definition (properties.PipelineDefinition).
#
# Steps carry their request in API shape under Arguments: a Training step holds a
# CreateTrainingJob request, Processing a CreateProcessingJob request, Model a
# CreateModel request, RegisterModel a CreateModelPackage request. Steps nested in
# Condition steps (IfSteps / ElseSteps) are found too. Values may be pipeline
# parameter references ({"Get": "Parameters.X"}); they are judged by the
# parameter's DefaultValue.
package mlwarden.lib.pipeline

import rego.v1

import data.mlwarden.lib.util

raw := object.get(util.props, "PipelineDefinition", null)

# The definition as an object. The scanner parses the JSON text SageMaker returns
# before any policy runs (collector, IaC loader, inventory loading), exactly and the
# same way for every engine; what could not be parsed is kept as
# {"PipelineDefinitionBody": text}, and a definition that is still text is unknown.
definition := raw if {
	is_object(raw)
	not is_string(object.get(raw, "PipelineDefinitionBody", null))
}

known if is_object(definition)

unknown_msg := concat("", [util.what("pipeline"), ": could not read its definition (PipelineDefinition)"])

steps := [s |
	walk(definition, [_, s])
	is_object(s)
	is_string(object.get(s, "Name", null))
	is_string(object.get(s, "Type", null))
	is_object(object.get(s, "Arguments", null))
]

parameter_defaults[name] := value if {
	some p in object.get(definition, "Parameters", [])
	is_object(p)
	name := p.Name
	value := object.get(p, "DefaultValue", null)
}

# A step argument at a path, with a parameter reference replaced by its default.
arg(step, path) := resolve(object.get(step.Arguments, path, ""))

resolve(v) := object.get(parameter_defaults, trim_prefix(v.Get, "Parameters."), null) if {
	is_object(v)
	is_string(object.get(v, "Get", null))
	startswith(v.Get, "Parameters.")
}

resolve(v) := v if not is_parameter(v)

is_parameter(v) if {
	is_object(v)
	is_string(object.get(v, "Get", null))
	startswith(v.Get, "Parameters.")
}

# The path of a step's argument in the resource document: properties.PipelineDefinition,
# the step's place in the definition (["Steps", 2], or inside a Condition step), then
# Arguments and the argument's path.
arg_path(step, path) := array.concat(
	array.concat(["properties", "PipelineDefinition"], step_location(step)),
	array.concat(["Arguments"], path),
)

# The first place the step object sits in the definition (two identical steps share it).
step_location(step) := locations[0] if {
	# regal ignore:walk-no-path
	locations := [p | walk(definition, [p, s]); s == step]
	count(locations) > 0
}

unknown_path := ["properties", "PipelineDefinition"]

step_what(step) := concat("", [util.what("pipeline"), " step ", step.Name, " (", step.Type, ")"])
