"""When the audit splits a scheduled scan by resource type, decided from cheap counts.

A scan of one region runs in one Lambda invocation, which must end within 15 minutes.
A large ML estate (thousands of model packages, jobs, endpoints) may not, so the
scheduled scan is then split into one invocation per region and group of types
(handler.type_groups: the model registry, the rest of SageMaker, everything else) and
derived once when aggregated. Whether an estate is large is counted, not guessed: the
SageMaker Search pages (100 records each) of the types that make an ML estate large,
stopping as soon as the count reaches the threshold; a few calls, where the scan itself
makes thousands. A count that cannot be read splits: a split scan judges as one scan
does (tests/audit/test_audit.py), it only costs more invocations.
"""
from __future__ import annotations

import logging
from typing import Iterable

from ..aws.session import AwsContext, paginate

log = logging.getLogger("mlwarden.audit")

# The Search resources whose count makes an estate large (the bulk of its reads).
COUNTED = ("ModelPackage", "TrainingJob", "Endpoint", "Model")


def estate_size_reaches(reader: AwsContext, regions: Iterable[str], threshold: int) -> bool:
    """Whether the regions hold at least `threshold` model packages, training jobs,
    endpoints and models together (Search pages, the count stopped at the threshold)."""
    seen = 0
    for region in regions:
        client = reader.client("sagemaker", region)
        for resource in COUNTED:
            for _ in paginate(client, "Search", "Results", Resource=resource):
                seen += 1
                if seen >= threshold:
                    return True
    return False


def split_by_type(split_always: bool, threshold: int, reader: AwsContext, regions: Iterable[str]) -> bool:
    """Split when configured to (`split_always`), or when the estate counts at least
    `threshold` resources (0: never automatically)."""
    if split_always:
        return True
    if threshold <= 0:
        return False
    try:
        return estate_size_reaches(reader, regions, threshold)
    except Exception as exc:  # noqa: BLE001 - an unread count splits: never wrong, only more invocations
        log.warning("mlwarden audit: estate size not counted (%s); splitting by type", exc)
        return True
