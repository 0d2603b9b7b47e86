# Reading a bucket document's default encryption.
package mlwarden.lib.s3

import rego.v1

rules(bucket) := object.get(bucket, ["properties", "BucketEncryption", "ServerSideEncryptionConfiguration"], [])

# Where that rule sits in a bucket document.
rule_path := ["properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0]

# The default-encryption rule S3 applies (the first; S3 allows one), {} if none.
default default_rule(_) := {}

default_rule(bucket) := r if {
	rs := rules(bucket)
	is_array(rs)
	count(rs) > 0
	r := rs[0]
	is_object(r)
}

algorithm(bucket) := object.get(default_rule(bucket), ["ServerSideEncryptionByDefault", "SSEAlgorithm"], "")

kms_algorithms := {"aws:kms", "aws:kms:dsse"}

uses_kms(bucket) if algorithm(bucket) in kms_algorithms

# The key of SSE-KMS default encryption; "" means the AWS managed aws/s3 key.
kms_key(bucket) := object.get(default_rule(bucket), ["ServerSideEncryptionByDefault", "KMSMasterKeyID"], "")

name(bucket) := object.get(bucket, "id", "?")
