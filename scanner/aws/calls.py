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
from typing import Callable, Iterator, TypeVar
from xml.etree import ElementTree

from botocore.exceptions import BotoCoreError
from botocore.retries import adaptive, bucket, standard, throttling

# S3 Control signs as "s3" but shares operation names with S3 (GetPublicAccessBlock
# exists in both), so it keeps its own name in a gap. The Resource Groups Tagging API
# signs as "tagging"; IAM (and so the allow-list) calls it "tag". CloudWatch signs as
# "monitoring" while IAM (and `mlwarden permissions`) call its actions cloudwatch:DescribeAlarms.
_PREFIX_OVERRIDES = {"s3control": "s3control", "resourcegroupstaggingapi": "tag", "cloudwatch": "cloudwatch"}

_state = threading.local()
T = TypeVar("T")


class DeadlineExceeded(BotoCoreError):
    """A call (with its retries) or a collector ran past its deadline."""
    fmt = "{action}: deadline exceeded after {seconds:.1f} s ({what})"


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
    saved = getattr(_state, "collector", None), getattr(_state, "expired", None)
    _state.collector = (time.monotonic() + seconds, seconds, what)
    _state.action, _state.expired = None, set()
    try:
        yield
    finally:
        _state.collector, _state.expired = saved
        _state.action = None


def _check_deadlines(action: str, call_deadline: float, ahead: float = 0) -> None:
    """Raise DeadlineExceeded if now (plus `ahead`, a wait about to start) is past
    the call's or the collector's deadline."""
    now = time.monotonic()
    started = getattr(_state, "call_started", now)
    if now + ahead - started > call_deadline:
        expired = getattr(_state, "expired", None)
        if expired is not None:
            expired.add(action)
        raise DeadlineExceeded(action=action, seconds=now - started, what=(
            f"the call's deadline is {call_deadline:g} s with retries"
            + (f"; the next retry would wait up to {ahead:g} s" if ahead else "")))
    collector = getattr(_state, "collector", None)
    if collector is not None and now + ahead > collector[0]:
        raise DeadlineExceeded(action=action, seconds=collector[1],
                               what=f"the deadline of collector {collector[2]}")


# Error codes AWS uses for throttling; botocore backs off 1 s × 2^attempt for these,
# 50 ms × 2^attempt for other retryable errors.
_THROTTLING = frozenset({"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
                         "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
                         "SlowDown", "ProvisionedThroughputExceededException"})


class _DeadlineBucket(bucket.TokenBucket):
    """botocore's adaptive-mode token bucket, whose wait for capacity (after
    throttling it can last minutes) ends at the deadlines."""

    def __init__(self, call_deadline: float, **kwargs):
        super().__init__(**kwargs)
        self._call_deadline = call_deadline

    def acquire(self, amount=1, block=True):
        while True:
            try:
                return super().acquire(amount, block=False)
            except bucket.CapacityNotAvailableError:
                if not block:
                    raise
                _check_deadlines(last_action() or "aws", self._call_deadline)
                time.sleep(0.05)


def _limiter(call_deadline: float) -> adaptive.ClientRateLimiter:
    """botocore's adaptive-mode rate limiter (as `adaptive.register_retry_handler` builds
    it), with a deadline-bounded bucket. It lets every request through until the first
    throttling answer, then paces the requests to the rate AWS accepts (CUBIC)."""
    clock = bucket.Clock()
    return adaptive.ClientRateLimiter(
        rate_adjustor=throttling.CubicCalculator(starting_max_rate=0, start_time=clock.current_time()),
        rate_clocker=adaptive.RateClocker(clock),
        token_bucket=_DeadlineBucket(call_deadline, max_rate=1, clock=clock),
        throttling_detector=standard.ThrottlingErrorDetector(retry_event_adapter=standard.RetryEventAdapter()),
        clock=clock)


class _OperationLimiters:
    """One adaptive rate limiter per operation of a client: AWS throttles each API
    (DescribeModelPackage, ListTags, …) of an account and region on its own, so a
    throttled operation slows down its own calls, not every call of the service. A
    client serves one service in one region of one account; its operations' limiters
    are shared by every thread using it (a collector's parallel describes)."""

    def __init__(self, call_deadline: float):
        self._deadline = call_deadline
        self._limiters: dict[str, adaptive.ClientRateLimiter] = {}
        self._lock = threading.Lock()

    def limiter(self, operation: str) -> adaptive.ClientRateLimiter:
        with self._lock:
            found = self._limiters.get(operation)
            if found is None:
                found = self._limiters[operation] = _limiter(self._deadline)
            return found

    def on_sending_request(self, request, event_name: str = "", **kwargs):
        self.limiter(event_name.rsplit(".", 1)[-1]).on_sending_request(request=request, **kwargs)

    def on_receiving_response(self, event_name: str = "", **kwargs):
        self.limiter(event_name.rsplit(".", 1)[-1]).on_receiving_response(event_name=event_name, **kwargs)


def _adaptive(client, call_deadline: float) -> None:
    """Adaptive retry mode (client-side rate limiting after throttling), per operation."""
    limiters = _OperationLimiters(call_deadline)
    client.meta.events.register("before-send", limiters.on_sending_request)
    client.meta.events.register("needs-retry", limiters.on_receiving_response)
    client.meta.mlwarden_limiters = limiters   # what tests read: the rate each operation runs at


def on_this_collector(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn`, to run on another thread (a collector's item pool) under this thread's
    collector deadline and its record of operations that ran out their deadline."""
    saved = getattr(_state, "collector", None), getattr(_state, "expired", None)

    def run(*args, **kwargs) -> T:
        previous = getattr(_state, "collector", None), getattr(_state, "expired", None)
        _state.collector, _state.expired = saved
        _state.action = None
        try:
            return fn(*args, **kwargs)
        finally:
            _state.collector, _state.expired = previous
            _state.action = None
    return run


def install(client, *, call_deadline: float) -> None:
    """Track, bound and check every call of `client` (created in botocore's "standard"
    retry mode: the adaptive rate limiting is added here)."""

    def on_call(model, **kwargs):
        # The first event of every API call, before parameters are even validated.
        _state.action = action_of(model)
        _state.call_started = time.monotonic()
        expired = getattr(_state, "expired", None)
        if expired is not None and _state.action in expired:
            # An operation that ran out its deadline once in this collector (a hung or
            # throttled endpoint) is not waited for again, resource after resource.
            raise DeadlineExceeded(action=_state.action, seconds=0, what=(
                "not sent: an earlier call of this operation in this collector ran out its deadline"))
        _check_deadlines(_state.action, call_deadline)

    def before_send(request, **kwargs):
        # Each attempt (the first and every retry) is sent only within the deadlines.
        _check_deadlines(getattr(_state, "action", None) or "aws", call_deadline)

    def needs_retry(response=None, caught_exception=None, operation=None, attempts=1, **kwargs):
        # Do not start a back-off that would cross the deadline: botocore waits up to
        # min(scale × 2^(attempt-1), 20) s before the next attempt.
        http = response[0] if response else None
        if operation is None or (caught_exception is None and (http is None or http.status_code < 400)):
            return
        code = ((response[1] or {}).get("Error") or {}).get("Code") if response else None
        scale = 1 if code in _THROTTLING or (http is not None and http.status_code == 429) else 0.05
        _check_deadlines(action_of(operation), call_deadline, ahead=min(scale * 2 ** (attempts - 1), 20))

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
    _adaptive(client, call_deadline)


def _unreadable(body: bytes, model) -> str | None:
    """Why a 2xx body cannot be the answer of `model`, or None when it can."""
    # The protocol this botocore speaks to the service: the Tagging API's model lists
    # smithy-rpc-v2-cbor first, but botocore sends and parses JSON.
    protocol = model.service_model.resolved_protocol or ""
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
