"""Derived facts are computed in one place: scanner/derivations.py. Every source (a live
account, a targeted read, templates, the merge of an organisation's accounts or of an
audit's regional parts) goes through it, so a derivation added there runs everywhere.
Before, each entry point ran its own subset, and two of them left facets unset that
policies then took as read."""
from __future__ import annotations

import ast
from pathlib import Path

import mlwarden
from mlwarden.derivations import DERIVATIONS, SOURCES

SCANNER = Path(mlwarden.__file__).resolve().parent
# The functions a derivation runs: called only from scanner/derivations.py (and their own modules).
DERIVING = {"annotate_vpcs", "annotate_endpoints", "relink_endpoints", "annotate_package_ages",
            "resolve_job_definitions", "mark_ml_estate", "derive_account_documents",
            "annotate_drift_response", "annotate_provenance", "scan_product_templates"}
HOMES = {"derivations.py", "derived.py", "ml_estate.py", "monitoring_links.py", "drift_links.py",
         "provenance.py", "catalog_templates.py"}


def test_only_the_pipeline_calls_a_derivation():
    offenders = []
    for path in SCANNER.rglob("*.py"):
        if path.name in HOMES and path.parent == SCANNER:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in DERIVING:
                    offenders.append(f"{path.relative_to(SCANNER)}:{node.lineno} {name}")
    assert offenders == [], "call scanner/derivations.py (derive / merge_parts) instead: " + ", ".join(offenders)


def test_every_derivation_says_where_it_applies_and_why():
    names = [d.name for d in DERIVATIONS]
    assert len(names) == len(set(names))
    for d in DERIVATIONS:
        assert d.sources and set(d.sources) <= set(SOURCES), d.name
        assert len(d.why) > 30, d.name
