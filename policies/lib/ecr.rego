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

# In a template scanned without --account the resource's own account is unknown: the IaC
# path marks facts.deploy_account (scanner/iac/normalise.py). An image in the registry of
# an account that is not trusted may then be the account the template deploys to.
own_account_unknown if is_string(object.get(util.facts, ["deploy_account", "mlwarden:unknown"], null))

public(image, what) := {m |
	is_string(image)
	not regex.match(pattern, image)
	m := concat("", [what, " uses image ", image, ", which is not in a private ECR registry"])
}

untrusted(image) := {acct |
	acct := registry_account(image)
	not acct in trusted_accounts
}

# The violations of one image at `path`. One about an untrusted registry account while
# the own account is unknown names facts.deploy_account: the scan makes a verdict that
# rests only on such violations NOT_ASSESSED (scanner/iac/unknown.py), and a public image
# still fails.
violations(image, what, path) := known | unknown if {
	known := {util.violation(m, path) | some m in public(image, what)} | {util.violation(m, path) |
		not own_account_unknown # regal ignore:external-reference
		some acct in untrusted(image)
		m := concat("", [
			what, " uses image ", image, " from the ECR registry of account ", acct,
			", which is neither its own account nor in settings.trusted_image_accounts",
		])
	}
	unknown := {util.violation(m, ["facts", "deploy_account"]) |
		own_account_unknown # regal ignore:external-reference
		some acct in untrusted(image)
		m := concat("", [
			what, " uses image ", image, " from the ECR registry of account ", acct,
			", which is not in settings.trusted_image_accounts and may be its own account",
		])
	}
}
