"""findings.json and inventory.json are written a finding (a resource) at a time
(scanner/json_stream.py); their bytes must be exactly those `json.dumps(doc, indent=1,
default=str)` gives for the whole document, which readers and digests depend on."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest

from mlwarden.inventory import Inventory
from mlwarden.json_stream import iter_document
from mlwarden.reports.base import RenderContext, registry
from mlwarden.reports.write import write_reports

from .conftest import hostile_inventory

AWKWARD = [
    {},
    [],
    {"a": []},
    {"a": {}, "b": [[]], "c": [{}], "d": [1, [2, [3, {"e": None}]]]},
    {"text": "line\nbreak\ttab \"quote\" \\ back", "unicode": "é ✓ \U0001F600 \u2028", "ctl": "\x00\x1f"},
    {"when": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), "n": Decimal("1.50"),
     "f": 0.1, "big": 10 ** 30, "neg": -0.0, "bool": True, "none": None, "nan": float("nan")},
    {"nested": {"1": {"2": {"3": ["x", {"y": "z\n"}]}}}, 5: "int key", None: "none key"},
]


@pytest.mark.parametrize("items", [[], AWKWARD[:1], AWKWARD])
def test_a_list_written_item_by_item_is_the_text_of_the_whole_document(items):
    head = {"schema_version": "1", "meta": AWKWARD[5], "items": None, "after": AWKWARD[6], "empty": {}}
    whole = json.dumps({**head, "items": items}, indent=1, default=str)
    assert "".join(iter_document(head, {"items": lambda: iter(items)})) == whole


def test_an_empty_document_is_braces():
    assert "".join(iter_document({}, {})) == json.dumps({}, indent=1)


def test_findings_json_is_the_documents_text_and_its_manifest_digest_that_of_the_file(hostile_doc, tmp_path):
    whole = json.dumps(hostile_doc.to_dict(), indent=1, default=str).encode()
    assert registry()["json"].render(hostile_doc, RenderContext(out_dir=tmp_path)) == whole
    write_reports(hostile_doc, ["json"], RenderContext(out_dir=tmp_path))
    assert (tmp_path / "findings.json").read_bytes() == whole
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["files"]["findings.json"] == hashlib.sha256(whole).hexdigest()


def test_inventory_json_is_the_inventorys_text_and_reads_back(tmp_path):
    inv = hostile_inventory()
    inv.save(tmp_path / "inventory.json")
    text = (tmp_path / "inventory.json").read_text()
    assert text == json.dumps(inv.to_dict(), indent=1, default=str)
    assert [r.key for r in Inventory.load(tmp_path / "inventory.json").resources] == [r.key for r in inv.resources]
