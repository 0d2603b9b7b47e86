"""Any exception ends an apply with a final audit record and a summary of what was
and was not applied; a lost answer on an ordinary runbook is followed by a re-read,
not a blind resend. Faults are injected into botocore (the transport), not into
mlwarden's code."""
from __future__ import annotations

import boto3
import pytest

from ..conftest import REGION
from .conftest import finding

BUCKETS = ["fraud-a", "fraud-b", "fraud-c", "fraud-d"]


@pytest.fixture
def buckets(hooks):
    s3 = boto3.client("s3", region_name=REGION)
    for b in BUCKETS:
        s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": REGION})
    return s3


def _findings():
    return [finding("AWS::S3::Bucket", b, "MLW-INT-012", "s3-versioning", arn=f"arn:aws:s3:::{b}") for b in BUCKETS]


def test_an_unexpected_error_stops_the_apply_with_a_summary(fixer, buckets):
    plans = fixer.plan(*_findings())
    reads = fixer.writer.client("s3", REGION)

    def broken_answer(params, **kw):
        if params.get("Bucket") == "fraud-b":
            raise LookupError("the answer had no Status field")   # a bug-like failure, not an AWS error
    reads.meta.events.register("provide-client-params.s3.GetBucketVersioning", broken_answer)
    results = fixer.apply(plans, verify=False)
    assert [r.status for r in results] == ["applied", "failed", "not-attempted", "not-attempted"]
    assert "LookupError" in results[1].message and "apply stopped here" in results[1].message
    status = {b: buckets.get_bucket_versioning(Bucket=b).get("Status") for b in BUCKETS}
    assert status == {"fraud-a": "Enabled", "fraud-b": None, "fraud-c": None, "fraud-d": None}
    last = fixer.audit.records()[-1]
    assert last["event"] == "apply-summary"
    assert last["applied"] == ["s3-versioning arn:aws:s3:::fraud-a"]
    assert [x["status"] for x in last["not_applied"]] == ["failed", "not-attempted", "not-attempted"]
    assert last["stopped_by"].startswith("LookupError")


def test_a_lost_answer_is_followed_by_a_re_read_not_a_resend(fixer, buckets):
    [plan] = fixer.plan(_findings()[0])
    writes = fixer.writer.write_client("s3", REGION)
    sent = []

    def lose_answer(http_response, parsed, model, **kw):
        sent.append(model.name)
        raise ConnectionResetError("connection reset by peer")   # after AWS carried it out
    writes.meta.events.register("after-call.s3.PutBucketVersioning", lose_answer)
    [result] = fixer.apply([plan], verify=False)
    assert sent == ["PutBucketVersioning"]                       # once: no transport retry, no resend
    assert result.status == "applied", result.message
    assert buckets.get_bucket_versioning(Bucket="fraud-a")["Status"] == "Enabled"
    events = [(r["event"], r.get("outcome")) for r in fixer.audit.records()]
    assert ("call", "answer-lost") in events
    reread = next(r for r in fixer.audit.records() if r["event"] == "re-read-after-lost-answer")
    assert reread["still_needed"] == []


def test_a_throttled_write_is_sent_again_and_every_attempt_is_audited(fixer, buckets):
    """Throttling is AWS refusing before doing anything: the one answer after which the
    same write may be sent again without a re-read."""
    from botocore.awsrequest import AWSResponse

    [plan] = fixer.plan(_findings()[0])
    writes = fixer.writer.write_client("s3", REGION)
    seen = []

    class Raw:
        def stream(self, **kw):
            yield b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"

    def throttle_first(request, **kw):
        seen.append(request.method)
        if len(seen) == 1:
            return AWSResponse(request.url, 503, {}, Raw())
        return None     # the second attempt goes on to (in-process) AWS
    writes.meta.events.register_first("before-send.s3.PutBucketVersioning", throttle_first)
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "applied", result.message
    assert seen == ["PUT", "PUT"]
    assert buckets.get_bucket_versioning(Bucket="fraud-a")["Status"] == "Enabled"
    calls = [(r["outcome"], r["attempt"]) for r in fixer.audit.records() if r["event"] == "call"]
    assert calls == [("started", 1), ("throttled", 1), ("started", 2), ("succeeded", 2)]
