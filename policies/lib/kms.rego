# Shared KMS checks: a key reference must be customer-managed and, when the
# organisation lists trusted keys (settings.trusted_kms_keys), one of them.
package mlwarden.lib.kms

import rego.v1

import data.mlwarden.lib.util

# Key references come as key ids, key ARNs, alias names or alias ARNs.
# norm() reduces them to "<key id>" or "alias/<name>" so they compare.
norm(k) := id if {
	parts := split(k, ":key/")
	count(parts) == 2
	id := parts[1]
}

norm(k) := a if {
	not contains(k, ":key/")
	parts := split(k, ":alias/")
	count(parts) == 2
	a := concat("", ["alias/", parts[1]])
}

norm(k) := k if {
	not contains(k, ":key/")
	not contains(k, ":alias/")
}

# alias/aws/<service>: an AWS managed key the organisation cannot rotate or revoke.
aws_managed(k) if startswith(norm(k), "alias/aws/")

trusted_keys := object.get(util.settings, "trusted_kms_keys", [])

restricted if count(trusted_keys) > 0

trusted(k) if {
	some t in trusted_keys
	norm(t) == norm(k)
}

# Messages for a key reference that is present: AWS managed, or not trusted.
# A reference that is not a string (a template's {"Ref": ...} or a pipeline
# parameter) is not judged here: it names a key, which is all that can be told.
problems(k, what) := managed | untrusted if {
	managed := {m |
		is_string(k)
		aws_managed(k)
		m := concat("", [what, " uses the AWS managed key ", k, " instead of a customer-managed KMS key"])
	}
	untrusted := {m |
		is_string(k)
		restricted
		not trusted(k)
		m := concat("", [what, " uses KMS key ", k, ", which is not in settings.trusted_kms_keys"])
	}
}
