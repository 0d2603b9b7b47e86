"""The framework controls policies claim: titles and populations (fsbp_controls.yaml),
and the titles of the other frameworks' controls (control_titles.yaml).

A policy's METADATA claims controls for all the types it judges; a control, though,
judges one population (SageMaker.11: data quality job definitions). A finding lists a
control only when its resource belongs to that population, so a report never credits
a verdict on a schedule to a control about job definitions.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

FSBP = "AWS-FSBP"


@lru_cache(maxsize=1)
def fsbp_catalogue() -> dict[str, dict]:
    return yaml.safe_load((Path(__file__).with_name("fsbp_controls.yaml")).read_text()) or {}


def for_resource(controls: dict, resource_type: str) -> dict[str, list[str]]:
    """The claimed controls that apply to a resource of `resource_type`."""
    catalogue = fsbp_catalogue()
    out = {}
    for framework, ids in controls.items():
        ids = list(ids)
        if framework == FSBP:
            ids = [c for c in ids if c not in catalogue or resource_type in catalogue[c].get("types", ())]
        if ids:
            out[framework] = ids
    return out


@lru_cache(maxsize=1)
def _titles() -> dict:
    return yaml.safe_load((Path(__file__).with_name("control_titles.yaml")).read_text()) or {}


def title(control: str, framework: str = FSBP) -> str:
    """The control's title ("" when it is not in the catalogue)."""
    if framework == FSBP:
        return (fsbp_catalogue().get(control) or {}).get("title", "")
    return str((_titles().get(framework) or {}).get(control, ""))


def framework_name(framework: str) -> str:
    """"NIST SP 800-53 Rev. 5" for NIST-800-53; the key itself when unknown."""
    return str((_titles().get("frameworks") or {}).get(framework, framework))
