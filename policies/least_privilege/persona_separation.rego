# METADATA
# title: Persona roles hold no actions forbidden to their persona
# description: >-
#   Separation of duties between personas (data scientists, platform engineers, …) is
#   configured in settings.personas: a role whose name matches one of a persona's
#   role_patterns (glob, case-insensitive) must not be granted any action starting with
#   one of its forbidden_action_prefixes, directly or through a wildcard. Actions come
#   from the policy analysis (facts.actions: write_actions, permissions_management,
#   tagging_actions, wildcard_actions, service_wildcards, data_exfiltration, admin_star)
#   and the role's inline policies; a matching role whose policies could not be analysed
#   fails.
# custom:
#   id: MLW-IAM-008
#   severity: high
#   category: least-privilege
#   resource_types: [AWS::IAM::Role]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-5, AC-6]
#     ISO-42001: [A.3.2, A.4.6]
#   remediation: role-least-privilege
#   evidence: [facts.actions, properties.Policies]
package mlwarden.least_privilege.persona_separation

import rego.v1

import data.mlwarden.lib.iam
import data.mlwarden.lib.util

personas := object.get(util.settings, "personas", {})

# The personas whose role_patterns match this role's name.
matched contains name if {
	some name, persona in personas
	some pattern in object.get(persona, "role_patterns", [])
	is_string(pattern)
	glob.match(lower(pattern), null, lower(iam.role_name))
}

applies if count(matched) > 0

fact_lists := ["write_actions", "permissions_management", "tagging_actions", "wildcard_actions", "data_exfiltration"]

held contains a if {
	some key in fact_lists
	some a in util.as_array(object.get(iam.actions, key, []))
	is_string(a)
}

held contains "*" if object.get(iam.actions, "admin_star", false) == true

# Services granted whole, as "s3" or "s3:*": both stand for every action of the service.
held contains a if {
	some svc in util.as_array(object.get(iam.actions, "service_wildcards", []))
	is_string(svc)
	a := wildcard(svc)
}

held contains a if {
	some p in util.as_array(object.get(util.props, "Policies", []))
	some s in iam.as_list(object.get(util.as_object(p), ["PolicyDocument", "Statement"], []))
	object.get(util.as_object(s), "Effect", "") == "Allow"
	some a in iam.as_list(object.get(s, "Action", []))
	is_string(a)
}

wildcard("*") := "*"

wildcard(svc) := svc if contains(svc, ":")

wildcard(svc) := concat("", [svc, ":*"]) if {
	not contains(svc, ":")
	svc != "*"
}

# An action (or action pattern such as iam:* or iam:Create*) that grants something
# starting with prefix.
grants(action, prefix) if startswith(lower(action), lower(prefix))

grants(action, prefix) if glob.match(iam_pattern(action), null, lower(prefix))

# IAM wildcards are * and ? only: every other glob character in an action is literal
# (an action like iam:Create\ or iam:[Cc]reate* is not a malformed glob, it matches
# nothing but itself).
iam_pattern(action) := replace(
	replace(
		replace(
			replace(
				replace(lower(action), "\\", "\\\\"),
				"[", "\\[",
			),
			"]", "\\]",
		),
		"{", "\\{",
	),
	"}", "\\}",
)

deny contains util.violation(msg, iam.not_analysed_path) if {
	applies
	not iam.analysed
	msg := concat("", [iam.not_analysed_msg, "; it matches persona(s) ", concat(", ", sort(matched))])
}

deny contains util.violation(msg, ["facts", "actions"]) if {
	some name in matched
	some prefix in personas[name].forbidden_action_prefixes
	hits := [a | some a in held; grants(a, prefix)]
	count(hits) > 0
	msg := concat("", [
		"role ",
		iam.role_name,
		" (persona ",
		name,
		") is granted ",
		prefix,
		"* through ",
		concat(", ", sort(hits)),
	])
}
