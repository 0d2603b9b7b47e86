# What an endpoint's monitors measure and what they trigger (facts.drift_response).
#
# mlwarden links each monitoring schedule watching an endpoint to the CloudWatch alarms on
# its Model Monitor metrics and to what those alarms start (alarm actions, and the targets
# of EventBridge rules on the alarm's state change), see scanner/drift_links.py. The fact
# is written only when every input was read (the drift_response facet): `known` is false
# only for inputs that carry no such fact (a template, an older inventory).
package mlwarden.lib.drift

import rego.v1

import data.mlwarden.lib.util

response := object.get(util.facts, "drift_response", null)

known if is_object(response)

schedules := [s |
	some s in util.as_array(object.get(util.as_object(response), "schedules", []))
	is_object(s)
]

# Data-quality and model-quality monitors: the ones that watch for drift.
quality_kinds := {"DataQuality", "ModelQuality"}

quality := [s | some s in schedules; object.get(s, "kind", "") in quality_kinds]

data_quality := [s | some s in schedules; object.get(s, "kind", "") == "DataQuality"]

kinds contains k if {
	some s in schedules
	k := object.get(s, "kind", "")
}

# What counts as acting on a crossed threshold: starting a pipeline, telling someone, or
# running code (a function or a state machine). Queues and buses forwarded elsewhere do not.
acting_kinds := {"retraining", "notification", "automation"}

acts(s) if {
	some k in util.as_array(object.get(s, "acts", []))
	k in acting_kinds
}

has_constraints(s) if {
	c := object.get(s, "constraints", null)
	is_string(c)
	c != ""
}

alarms(s) := [a | some a in util.as_array(object.get(s, "alarms", [])); is_object(a)]

name(x) := util.show(object.get(x, "name", ""))

# The alarms on a feature-drift metric (Model Monitor's feature_baseline_drift_<feature>).
feature_alarms(s) := [a |
	some a in alarms(s)
	some m in util.as_array(object.get(a, "metrics", []))
	is_string(m)
	startswith(m, "feature_baseline_drift_")
]
