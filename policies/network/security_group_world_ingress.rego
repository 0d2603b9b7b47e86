# METADATA
# title: Security groups do not admit traffic from the whole internet
# description: >-
#   An ingress rule from 0.0.0.0/0 or ::/0 exposes whatever runs in the group (notebooks,
#   training clusters, endpoints in a VPC) to every address on the internet. Judged from
#   the rules themselves and from the collector's reachability analysis
#   (facts.open_to_world).
# custom:
#   id: MLW-NET-011
#   severity: high
#   category: network
#   resource_types: [AWS::EC2::SecurityGroup]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation: sg-revoke-world-ingress
#   evidence: [properties.SecurityGroupIngress, facts.open_to_world]
package mlwarden.network.security_group_world_ingress

import rego.v1

import data.mlwarden.lib.util

world := {"0.0.0.0/0", "::/0"}

open_rules contains concat("", [object.get(r, "IpProtocol", "?"), " from ", cidr]) if {
	some r in util.as_array(object.get(util.props, "SecurityGroupIngress", []))
	some field in ["CidrIp", "CidrIpv6"]
	cidr := object.get(util.as_object(r), field, "")
	cidr in world
}

deny contains util.violation(msg, ["properties", "SecurityGroupIngress"]) if {
	count(open_rules) > 0
	msg := concat("", [
		"security group ",
		input.resource.id,
		" admits traffic from the internet: ",
		concat(", ", sort(open_rules)),
	])
}

deny contains util.violation(msg, ["facts", "open_to_world"]) if {
	count(open_rules) == 0
	util.facts.open_to_world == true
	msg := concat("", ["security group ", input.resource.id, " is reachable from the internet (facts.open_to_world)"])
}
