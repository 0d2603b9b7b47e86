"""Which resource an API call touched, from the CloudTrail record that EventBridge
delivers ("AWS API Call via CloudTrail").

Declared as data by each type's descriptor (`ResourceType.events`, in the type's
collector module): the event name and where in the record the resource's name or ARN
is. This module only derives the table and reads records with it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..type_registry import cloudtrail_events, event_source


@dataclass(frozen=True, kw_only=True)
class EventTarget:
    event_source: str            # "sagemaker.amazonaws.com"
    resource_type: str           # canonical type to rescan
    paths: tuple[str, ...]       # where the identifier is, tried in order ("requestParameters.endpointName")


def event_targets() -> dict[str, EventTarget]:
    """eventName → what it touches, from the descriptors' `events` (scanner/resource_type.py)."""
    return {name: EventTarget(event_source=event_source(d, e), resource_type=d.type, paths=e.paths)
            for name, (d, e) in cloudtrail_events().items()}


EVENT_TARGETS: dict[str, EventTarget] = event_targets()


@dataclass(frozen=True, kw_only=True)
class Touched:
    resource_type: str
    identifier: str
    region: str
    account: str
    event_name: str


class UnsupportedEvent(ValueError):
    """The event is not one mlwarden scans for (it is ignored, not an error)."""


def touched_resource(event: dict) -> Touched:
    """The resource a CloudTrail-via-EventBridge event touched."""
    detail = event.get("detail") or {}
    name = detail.get("eventName")
    target = EVENT_TARGETS.get(name or "")
    if target is None or detail.get("eventSource") != target.event_source:
        raise UnsupportedEvent(f"event {detail.get('eventSource')}:{name} is not scanned")
    if detail.get("errorCode"):
        raise UnsupportedEvent(f"event {name} failed ({detail['errorCode']}): nothing changed")
    for path in target.paths:
        value = _dig(detail, path)
        if value:
            return Touched(resource_type=target.resource_type, identifier=str(value),
                           region=detail.get("awsRegion") or event.get("region") or "us-east-1",
                           account=event.get("account") or detail.get("recipientAccountId") or "",
                           event_name=name)
    raise UnsupportedEvent(f"event {name}: no resource identifier at {', '.join(target.paths)}")


def _dig(doc: dict, path: str):
    node = doc
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node
