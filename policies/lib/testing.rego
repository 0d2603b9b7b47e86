# Helpers for the policies' table-driven unit tests (no METADATA: not a policy).
#
# Each *_test.rego holds a `cases` table; a case lists the violations `deny` must give
# for its input (an empty list: the resource passes):
#
#   "fails_without_key": {
#   	"want": [{"msg": "notebook instance r1 has no customer-managed KMS key (KmsKeyId)",
#   	          "path": ["properties", "KmsKeyId"]}],
#   	"input": {"resource": {...}},
#   	"settings": {...},
#   },
#
#   check(name) if testing.matches(notebook_kms.deny, cases[name].want) with input as ...
#
# scanner/policy/testing.py explains a failing case (what `deny` gave instead).
package mlwarden.lib.testing

import rego.v1

# `deny` gives exactly the wanted violations: as many, each wanted one given and each
# given one wanted. A wanted violation matches on its message ("msg", exact, or
# "msg_contains", a substring) and on "path" when it names one. A rule that gives a
# plain string has no path (null).
matches(deny, want) if {
	count(deny) == count(want)
	every w in want {
		some v in deny
		matches_one(v, w)
	}
	every v in deny {
		some w in want
		matches_one(v, w)
	}
}

matches_one(v, w) if {
	message_matches(message(v), w)
	path_matches(path(v), w)
}

message(v) := v if is_string(v)

message(v) := object.get(v, "msg", "") if is_object(v)

path(v) := null if is_string(v)

path(v) := object.get(v, "path", null) if is_object(v)

message_matches(m, w) if m == w.msg

message_matches(m, w) if contains(m, w.msg_contains)

path_matches(_, w) if not "path" in object.keys(w)

path_matches(p, w) if p == w.path
