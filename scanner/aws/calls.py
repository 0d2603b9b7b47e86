"""What every AWS call of a scan goes through besides the read-only guard: which
operation runs on this thread (so a failure is named by the call that raised, not
by the collector that made it), deadlines per call and per collector, and a check
that a 200 answer is a readable answer before anyone trusts it.

All of it is botocore event hooks installed on each client by `AwsContext`, so no
collector has to be written carefully for it to hold.
"""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from typing import Iterator
from xml.etree import ElementTree

from botocore.exceptions import BotoCoreError

# S3 Control signs as "s3" but shares operation names with S3 (GetPublicAccessBlock
# exists in both), so it keeps its own name in a gap.
_PREFIX_OVERRIDES = {"s3control": "s3control"}

_state = threading.local()


class DeadlineExceeded(BotoCoreError):
    """A call (with its retries) or a collector ran past its deadline."""
    fmt = "{action}: deadline exceeded after {seconds:.0f} s ({what})"


class ResponseUnreadable(BotoCoreError):
    """A 2xx answer that is not what the operation returns (empty, truncated, HTML...)."""
    fmt = "{action}: unreadable response: {reason}"


def action_of(model) -> str:
    """`prefix:Operation` of a botocore operation model, with the IAM prefix of its service."""
    service = model.service_model
    prefix = _PREFIX_OVERRIDES.get(service.service_name, service.signing_name)
    return f"{prefix}:{model.name}"


def last_action() -> str | None:
    """The last operation started on this thread (inside the current collector)."""
    return getattr(_state, "action", None)


@contextmanager
def collector_deadline(seconds: float, what: str) -> Iterator[None]:
    """Bound every call made on this thread inside the block by one total deadline."""
    saved = getattr(_state, "collector", None)
    _state.collector = (time.monotonic() + seconds, seconds, what)
    _state.action = None
    try:
        yield
    finally:
        _state.collector = saved
        _state.action = None


def _check_deadlines(action: str, call_deadline: float) -> None:
    now = time.monotonic()
    started = getattr(_state, "call_started", now)
    if now - started > call_deadline:
        raise DeadlineExceeded(action=action, seconds=now - started, what="this call with its retries")
    collector = getattr(_state, "collector", None)
    if collector is not None and now > collector[0]:
        raise DeadlineExceeded(action=action, seconds=collector[1], what=f"collector {collector[2]}")


def install(client, *, call_deadline: float) -> None:
    """Track, bound and check every call of `client`."""

    def on_call(model, **kwargs):
        # The first event of every API call, before parameters are even validated.
        _state.action = action_of(model)
        _state.call_started = time.monotonic()
        _check_deadlines(_state.action, call_deadline)

    def before_send(request, **kwargs):
        # Each attempt (the first and every retry) is sent only within the deadlines.
        _check_deadlines(getattr(_state, "action", None) or "aws", call_deadline)

    def needs_retry(response=None, caught_exception=None, operation=None, **kwargs):
        # Do not sleep towards a retry that the deadline would refuse anyway.
        failed = caught_exception is not None or (
            response is not None and response[0] is not None and response[0].status_code >= 400)
        if failed and operation is not None:
            _check_deadlines(action_of(operation), call_deadline)

    def after_call(http_response, parsed, model, **kwargs):
        if http_response.status_code < 300 and not model.has_streaming_output:
            problem = _unreadable(http_response.content, model)
            if problem:
                raise ResponseUnreadable(action=action_of(model), reason=problem)

    events = client.meta.events
    events.register_first("provide-client-params.*.*", on_call)
    events.register("before-send", before_send)
    events.register_first("needs-retry", needs_retry)
    events.register("after-call.*.*", after_call)


def _unreadable(body: bytes, model) -> str | None:
    """Why a 2xx body cannot be the answer of `model`, or None when it can."""
    protocol = model.service_model.metadata.get("protocol", "")
    output = model.output_shape
    payload = output.serialization.get("payload") if output is not None else None
    if payload and output.members[payload].type_name in ("string", "blob"):
        return None  # a raw payload (a bucket policy's JSON text): the reader checks it
    if not body:
        in_body = [m for m in (output.members.values() if output is not None else ())
                   if m.serialization.get("location") not in ("header", "headers", "statusCode")]
        return "empty body" if in_body else None
    if protocol in ("json", "rest-json"):
        try:
            doc = json.loads(body)
        except ValueError as exc:  # includes UnicodeDecodeError
            return f"not JSON ({type(exc).__name__}: {str(exc)[:80]}; {body[:40]!r})"
        return None if isinstance(doc, dict) else f"a JSON {type(doc).__name__}, not an object"
    if protocol in ("query", "ec2", "rest-xml"):
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError as exc:
            return f"not XML ({exc}; {body[:40]!r})"
        if root.tag.rsplit("}", 1)[-1].lower() == "html":
            return "an HTML page, not an AWS answer"
    return None
