"""One resource identity: each finding carries its resource's key (`ResourceRef`,
findings schema 1.2), and reports compare scans and group findings by it. A file
written before 1.2 has no key: reports compute the same one, so `--previous` with an
older findings.json still tells what is new, still open and resolved."""
from __future__ import annotations

import copy
import json

from mlwarden.evaluate import FindingsDocument
from mlwarden.findings import FINDINGS_SCHEMA_VERSION
from mlwarden.model import ResourceRef
from mlwarden.reports import common

from .conftest import ACCOUNT


def test_every_finding_carries_its_resource_s_key(hostile_doc):
    keys = {f.resource["id"]: f.resource["key"] for f in hostile_doc.findings}
    assert keys["nb-good"].startswith("arn:aws:sagemaker:") and keys["nb-good"].endswith("notebook-instance/nb-good")
    # A coverage gap has no ARN: its key names the type, account, region and "*".
    assert keys["*"] == f"AWS::SageMaker::NotebookInstance/{ACCOUNT}/ap-south-1/*"
    assert FINDINGS_SCHEMA_VERSION == "1.2"


def _as_written_before_1_2(doc: FindingsDocument, tmp_path, name: str) -> FindingsDocument:
    d = copy.deepcopy(doc.to_dict())
    d["schema_version"] = "1.1"
    for f in d["findings"]:
        del f["resource"]["key"]
    path = tmp_path / name
    path.write_text(json.dumps(d))
    return FindingsDocument.load(path)


def test_a_previous_scan_written_before_keys_compares_as_one_with_them(hostile_doc, previous_doc, tmp_path):
    old = _as_written_before_1_2(previous_doc, tmp_path, "previous.json")
    with_keys, without_keys = common.compare(hostile_doc, previous_doc), common.compare(hostile_doc, old)
    ids = lambda fs: sorted((f.policy_id, f.resource["id"]) for f in fs)   # noqa: E731
    for part in ("new", "still_open", "resolved", "waived"):
        assert ids(getattr(without_keys, part)) == ids(getattr(with_keys, part)), part
    assert ids(with_keys.resolved) and ids(with_keys.new) and ids(with_keys.still_open)


def test_reports_read_the_key_the_document_carries():
    # The key is the document's word on identity: two findings with the same key are
    # the same resource to a report even when their fields were written differently.
    ref = ResourceRef(type="AWS::S3::Bucket", id="b", account=ACCOUNT, region="eu-west-1")
    carried = {**ref.to_dict(), "source": {"kind": "live"}}
    assert common.resource_key(carried) == ref.key == f"AWS::S3::Bucket/{ACCOUNT}/eu-west-1/b"
    assert common.resource_key({**carried, "key": "arn:aws:s3:::b"}) == "arn:aws:s3:::b"
    # Written before 1.2: computed from the fields, as the evaluator would have.
    assert common.resource_key({k: v for k, v in carried.items() if k != "key"}) == ref.key


def test_a_partial_reference_matches_by_type_and_id():
    full = ResourceRef(type="AWS::SageMaker::EndpointConfig", id="cfg-2", account=ACCOUNT, region="eu-west-1",
                       arn=f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:endpoint-config/cfg-2")
    partial = ResourceRef.of({"type": "AWS::SageMaker::EndpointConfig", "id": "cfg-2"})
    other = ResourceRef.of({"type": "AWS::SageMaker::Endpoint", "id": "cfg-2"})
    assert full.match_keys & partial.match_keys and not full.match_keys & other.match_keys
