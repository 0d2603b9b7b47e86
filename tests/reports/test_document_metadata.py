"""Reports take policy descriptions and control titles from the findings document, which
records the metadata the findings were judged with, including a `--policies` directory's."""
from __future__ import annotations

from mlwarden.evaluate import FindingsDocument
from mlwarden.reports import sarif

OWNER_DESCRIPTION = "The owner tag names who answers for the notebook."


def test_a_custom_policy_s_description_and_controls_travel_in_the_document(hostile_doc, tmp_path):
    # TST-TAG-001 is not shipped: only the document can know its description.
    assert hostile_doc.policies["TST-TAG-001"]["description"] == OWNER_DESCRIPTION
    assert hostile_doc.frameworks["ISO-42001"]["controls"]["A.3.2"]
    path = tmp_path / "findings.json"
    hostile_doc.save(path)
    loaded = FindingsDocument.load(path)
    assert (loaded.policies, loaded.frameworks) == (hostile_doc.policies, hostile_doc.frameworks)
    rules = {r["id"]: r for r in sarif.build(loaded)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["TST-TAG-001"]["help"]["text"].startswith(OWNER_DESCRIPTION)


def test_a_document_without_metadata_falls_back_to_the_finding_s_title(hostile_doc):
    bare = FindingsDocument(scan=hostile_doc.scan, findings=hostile_doc.findings, coverage=[])
    rules = {r["id"]: r for r in sarif.build(bare)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["TST-TAG-001"]["help"]["text"].startswith("Notebooks name a plain owner")
