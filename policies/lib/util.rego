# Shared helpers for the policy library (no METADATA: not a policy).
#
# Absent fields are read with object.get and a default, so that a missing or
# wrong-typed field never becomes a type error (an ERROR finding).
package mlwarden.lib.util

import rego.v1

# x when it is an object, else {}: absent, null and wrong-typed fields read as empty,
# so that object.get on them cannot raise a type error (an ERROR finding).
as_object(x) := x if is_object(x)

as_object(x) := {} if not is_object(x)

# x when it is an array, else [].
as_array(x) := x if is_array(x)

as_array(x) := [] if not is_array(x)

# The resource's properties, facts, tags and the settings, {} when absent.
props := as_object(object.get(input.resource, "properties", {}))

facts := as_object(object.get(input.resource, "facts", {}))

tags := as_object(object.get(input.resource, "tags", {}))

# The scan's settings (scanner/settings_defaults.yaml merged with the team's file).
# Every engine is given them once, as the data document `mlwarden_settings`; they
# are not part of the input. Unit tests set them with `with data.mlwarden_settings as`.
default settings := {}

settings := as_object(data.mlwarden_settings) # regal ignore:unresolved-reference

# A value at a path of the resource's properties, or "" when absent or null.
prop(path) := object.get(props, path, "")

# A value is "blank" when absent ("" by the defaults above), null or empty.
blank("")

blank(null)

blank(v) if {
	is_array(v)
	count(v) == 0
}

blank(v) if {
	is_object(v)
	count(v) == 0
}

present(v) if not blank(v)

# A violation: what is wrong (the message) and the attribute it is about (the path),
# for example {"msg": "notebook instance nb1 has no customer-managed KMS key (KmsKeyId)",
# "path": ["properties", "KmsKeyId"]}. The path is a list of keys and array indexes into
# the resource document (its "properties", "facts" or "tags"), or, for a related
# resource, into the input's "related" (["related", "kms_keys", 0, "properties",
# "KeyState"]) or "related_missing". For something absent it is where the value belongs.
# A scan shows the path with the violation and, in a template, points at its line.
# Rules may still produce a plain message string: it is reported without a path.
violation(msg, path) := {"msg": msg, "path": path}

# "notebook instance nb-fraud": how messages name the resource.
what(kind) := concat("", [kind, " ", object.get(input.resource, "id", "?")])

# An endpoint lineage entry (facts.model_packages) served by a shadow variant names it
# (shadow_variant, scanner/lineage.py): " (on shadow variant <name>)", else "". A shadow
# receives a copy of the production traffic and is judged like a production variant.
shadow_note(p) := concat("", [" (on shadow variant ", p.shadow_variant, ")"]) if {
	is_string(object.get(p, "shadow_variant", null))
}

shadow_note(p) := "" if not is_string(object.get(p, "shadow_variant", null))

# How messages name the resource's type, for rules over several types: in words
# ("notebook instance") for the types the library judges, else the type's last part
# ("NotebookInstance").
default noun := "resource"

noun := object.get(nouns, n, n) if {
	parts := split(object.get(input.resource, "type", ""), "::")
	n := parts[count(parts) - 1]
	n != ""
}

nouns := {
	"Bucket": "bucket",
	"CloudFormationProduct": "Service Catalog product",
	"DataQualityJobDefinition": "data quality job definition",
	"Domain": "domain",
	"Endpoint": "endpoint",
	"EndpointConfig": "endpoint configuration",
	"Key": "KMS key",
	"Model": "model",
	"ModelBiasJobDefinition": "model bias job definition",
	"ModelExplainabilityJobDefinition": "model explainability job definition",
	"ModelPackage": "model package",
	"ModelPackageGroup": "model package group",
	"ModelQualityJobDefinition": "model quality job definition",
	"MonitoringSchedule": "monitoring schedule",
	"NotebookInstance": "notebook instance",
	"Pipeline": "pipeline",
	"ProcessingJob": "processing job",
	"Role": "IAM role",
	"SecurityGroup": "security group",
	"SigningProfile": "signing profile",
	"Subnet": "subnet",
	"TrainingJob": "training job",
	"VPC": "VPC",
}

# Production resources carry settings.production.tag with one of its values.
is_production if {
	tag := settings.production.tag
	value := tags[tag]
	is_string(value)
	some allowed in settings.production.values
	is_string(allowed)
	lower(value) == lower(allowed)
}

# Integers as text, for messages (format_int needs a number; it rounds down). Outside
# the 32-bit range a number is shown as that bound: OPA's Wasm runtime formats 32-bit
# integers only (its format_int aborts the evaluation beyond), and an exact 20-digit
# count of seconds or packages says no more than "more than 2147483647".
int_text(n) := format_int(floor(n), 10) if {
	n >= -2147483647
	n < 2147483648
}

int_text(n) := "more than 2147483647" if n >= 2147483648

int_text(n) := "less than -2147483647" if n < -2147483647

# x is at least percent% of total (x * 100 >= total * percent), decided by the sign of
# the difference: OPA 1.20 compares a number after trimming zeros from the end of its
# text, so a product printed as 1.5e+10 would compare as 1.5e+1; a difference keeps
# its sign under that trimming.
at_least_percent(x, total, percent) if (x * 100) - (total * percent) >= 0

# A field that must be boolean true: anything else (absent, false, "true") fails.
is_true(true)

# A value as message text: a string as it is (json.marshal would quote it), other
# values by kind.
show("") := "not set"

show(v) := v if {
	is_string(v)
	v != ""
}

show(null) := "null"

show(true) := "true"

show(false) := "false"

show(v) := int_text(v) if is_number(v)

show(v) := concat("", ["a value of type ", type_name(v)]) if {
	not is_string(v)
	not is_number(v)
	not is_boolean(v)
	v != null
}
