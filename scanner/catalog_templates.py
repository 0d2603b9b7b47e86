"""Service Catalog product templates, judged like any CloudFormation template.

The product collector (scanner/collectors/service_catalog.py) reads the template of
each active version from S3 and keeps its text in the product's `facts.templates`.
Here each text goes through the IaC path `mlwarden iac` uses (scanner/iac/loader.py:
decode, intrinsics, parameters, conditions, `finish`; then the same derivations
`scan_iac` runs), and the resources it declares join the inventory, so every policy
judges them. Their source names the product, the version and the template:

    service-catalog/<account>/<region>/<product>/<version>/<template file>

They carry no account (as a template scanned without `--account`): they are what a
launch would create, not resources of the account, so usage counts, VPC and lineage
derivations of the live resources never count them. Their values unknown before a
launch (parameters without defaults) make a verdict that rests on them NOT_ASSESSED
(`mark_template_unknowns`, as `mlwarden iac` does).

The text is dropped once parsed (a template's defaults may hold secrets; its
resources are redacted like any other), leaving its SHA-256. A template that cannot be
parsed is recorded on the product (`templates[].error`): MLW-GOV-002 fails it. Where
the IaC scanner is not installed (the Lambda package leaves it out) the product's
`templates` facet is marked unread, so that policy is NOT_ASSESSED, never a pass.
"""
from __future__ import annotations

import posixpath
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from urllib.parse import urlparse

from .collectors.service_catalog import PRODUCT_TYPE
from .errors import InputError
from .model import FacetStatus, Finding, Resource

if TYPE_CHECKING:
    from .inventory import Inventory
    from .policy.library import PolicySet

PREFIX = "service-catalog/"
_SUFFIXES = (".yaml", ".yml", ".json", ".template")
CATALOG_DEPLOY_ACCOUNT_UNKNOWN = ("a Service Catalog product launches in the account that provisions it, which its "
                                  "template does not name (a shared portfolio's product may launch in any): images "
                                  "from an account's private ECR are judged on the provisioned product's stack")


def template_display(product: Resource, entry: dict) -> str:
    name = posixpath.basename(urlparse(str(entry.get("TemplateUrl") or "")).path) or "template"
    product_name = str(product.properties.get("Name") or product.id).replace("/", "_")
    return f"{PREFIX}{product.account}/{product.region}/{product_name}/{entry.get('Version')}/{name}"


def load_template_text(text: str, display: str, region: str) -> list[Resource]:
    """The resources of one template text, through the IaC loader (InputError when it
    is no template or cannot be parsed)."""
    from .iac.loader import load_file
    from .iac.normalise import finish
    from .iac.unknown import unknown
    suffix = next((s for s in _SUFFIXES if display.lower().endswith(s)), ".yaml")
    with tempfile.TemporaryDirectory(prefix="mlwarden-sc-") as tmp:
        path = Path(tmp) / f"template{suffix}"
        path.write_text(text, encoding="utf-8")
        loaded = load_file(path, explicit=True, region=region, display=display)
    resources = finish(list(loaded.resources)) if loaded is not None else []
    for r in resources:
        # finish() tells a template's author to give --account; a product template has no
        # such option: it launches in whichever account provisions the product (a shared
        # portfolio's may be any), so the private-ECR rules stay NOT_ASSESSED with this reason.
        if "deploy_account" in r.facts:
            r.facts["deploy_account"] = unknown(CATALOG_DEPLOY_ACCOUNT_UNKNOWN)
    return resources


def scan_product_templates(inv: "Inventory") -> list[Resource]:
    """The resources of every product template still held as text (idempotent: the text
    is dropped once parsed). scanner/derivations.py derives them as templates and adds
    them to the inventory."""
    added: list[Resource] = []
    for product in [r for r in inv.resources if r.type == PRODUCT_TYPE]:
        for entry in product.facts.get("templates") or []:
            body = entry.pop("body", None) if isinstance(entry, dict) else None
            if not isinstance(body, str):
                continue
            display = template_display(product, entry)
            try:
                resources = load_template_text(body, display, product.region)
            except ImportError as exc:
                why = (f"template of version {entry.get('Version')} was read but not scanned: the IaC scanner "
                       f"is not installed here ({exc.name or exc}); pip install 'mlwarden[iac]'")
                entry.update(scanned=False, error=why)
                product.facets["templates"] = FacetStatus.failed("mlwarden:ScanTemplate", "NotInstalled", why)
                continue
            except InputError as exc:
                entry.update(scanned=False, error=str(exc).splitlines()[0])
                continue
            about = {"product": product.properties.get("Name"), "product_id": product.id,
                     "product_arn": product.arn, "version": entry.get("Version"),
                     "version_id": entry.get("VersionId"), "template_url": entry.get("TemplateUrl")}
            for r in resources:
                r.facts["service_catalog_product"] = about
            entry.update(scanned=True, resources=len(resources), template=display)
            added.extend(resources)
    return added


def is_template_resource(r: Resource) -> bool:
    return r.source.kind == "cloudformation" and str(r.source.file or "").startswith(PREFIX)


def mark_template_unknowns(findings: Iterable[Finding], resources: Iterable[Resource],
                           policy_set: "PolicySet") -> int:
    """A verdict on a product template's resource that rests on a value unknown before
    launch becomes NOT_ASSESSED (scanner/iac/unknown.py)."""
    ours = [r for r in resources if is_template_resource(r)]
    if not ours:
        return 0
    from .iac.unknown import mark_unknown_findings
    evidence = {p.id: tuple(p.metadata.evidence) for p in policy_set.policies}
    pass_evidence = {p.id: p.metadata.pass_evidence for p in policy_set.policies if p.metadata.pass_evidence}
    return mark_unknown_findings(findings, ours, evidence, pass_evidence)
