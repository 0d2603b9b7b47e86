# Container images must come from a private ECR registry of the resource's own
# account, or of an account listed in settings.trusted_image_accounts.
package mlwarden.lib.ecr

import rego.v1

import data.mlwarden.lib.util

# <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]
pattern := `^([0-9]{12})\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/.+`

registry_account(image) := parts[0] if {
	is_string(image)
	regex.match(pattern, image)
	parts := split(image, ".")
}

trusted_accounts contains input.resource.account

trusted_accounts contains a if some a in object.get(util.settings, "trusted_image_accounts", [])

problems(image, what) := public | foreign if {
	public := {m |
		is_string(image)
		not regex.match(pattern, image)
		m := concat("", [what, " uses image ", image, ", which is not in a private ECR registry"])
	}
	foreign := {m |
		acct := registry_account(image)
		not acct in trusted_accounts
		m := concat("", [
			what, " uses image ", image, " from the ECR registry of account ", acct,
			", which is neither its own account nor in settings.trusted_image_accounts",
		])
	}
}
