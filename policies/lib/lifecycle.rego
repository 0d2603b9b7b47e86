# Model package lifecycle stages: the registry's ModelLifeCycle.Stage, or the tag the
# settings name (lifecycle.stage_tag) where a team keeps the stage in a tag. Stages are
# compared ignoring case.
package mlwarden.lib.lifecycle

import rego.v1

import data.mlwarden.lib.util

config := util.as_object(object.get(util.settings, "lifecycle", {}))

default stages := ["DEV", "QA", "PROD"]

stages := [s | some s in util.as_array(config.stages); is_string(s)] if is_array(config.stages)

default production_stage := "PROD"

production_stage := config.production_stage if {
	is_string(config.production_stage)
	config.production_stage != ""
}

# The tag holding the stage, or null when the settings name none.
default stage_tag := null

stage_tag := config.stage_tag if {
	is_string(config.stage_tag)
	config.stage_tag != ""
}

# The stage of a package from its ModelLifeCycle and tags; null when it has none.
stage(cycle, tags) := s if {
	s := object.get(util.as_object(cycle), "Stage", null)
	is_string(s)
	s != ""
} else := s if {
	is_string(stage_tag)
	s := object.get(util.as_object(tags), stage_tag, null)
	is_string(s)
	s != ""
} else := null

allowed(s) if {
	is_string(s)
	some a in stages
	is_string(a)
	upper(a) == upper(s)
}

is_production_stage(s) if {
	is_string(s)
	upper(s) == upper(production_stage)
}

# Where the stage is read from, for messages.
source := "ModelLifeCycle.Stage" if stage_tag == null

source := concat("", ["ModelLifeCycle.Stage or tag ", stage_tag]) if stage_tag != null

# The path of the stage in the resource document, for violations.
path := ["properties", "ModelLifeCycle", "Stage"] if stage_tag == null

path := ["tags", stage_tag] if stage_tag != null
