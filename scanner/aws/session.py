"""The one place for AWS access: sessions, client configuration, retries, the
read-only guard, pagination and the bounded thread pool.

No module anywhere else creates a boto3 client; they all ask an `AwsContext`.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

import boto3
import botocore.session
from botocore import xform_name
from botocore.config import Config

from . import calls, readonly


@dataclass(frozen=True, kw_only=True)
class AwsOptions:
    """How to reach AWS. `endpoint_url` points every service at an AWS-compatible
    endpoint (the demo's moto server, LocalStack, a VPC endpoint proxy)."""
    profile: str | None = None
    endpoint_url: str | None = None
    read_only: bool = True
    max_attempts: int = 8
    max_workers: int = 8
    # Items one collector reads at once (describes, tags): enough to hide a call's
    # latency, few enough that one type with thousands of items does not by itself set
    # off AWS's throttling (each operation is paced after throttling: calls.py).
    item_workers: int = 4
    # Artefact HeadObjects made at once (collectors/artefact_size.py: one per URL, before
    # the packages are read in list order): S3 serves 5,500 GET/HEAD per second per
    # prefix, so only the round trip bounds them.
    artefact_workers: int = 16
    # Deadlines, in seconds: one hung or throttled endpoint costs seconds, not minutes.
    # A call's deadline covers its retries (adaptive for throttling); a collector's
    # covers one resource type in one region. Past either, the read is a coverage gap.
    connect_timeout: float = 5
    read_timeout: float = 20
    call_deadline: float = 60
    collector_deadline: float = 300
    role_arn: str | None = None  # assumed before anything else (organisation scans)
    # Organisation scans: the only role sts:AssumeRole may name in read-only mode.
    assume_role_name: str | None = None
    # The read-only guard's allow-list: the calls a read-only context may send. Its
    # creator hands it in (a scan's: `mlwarden.permissions.scan_options`, derived from
    # what the collectors declare); a read-only context without one cannot be made.
    allow_list: frozenset[str] | None = None
    # Reads beyond the scan's allow-list for a read-only context that is not a scan
    # (`schedule status`, remediation planning): each such caller names its own.
    extra_reads: tuple[str, ...] = ()
    credentials: dict | None = None  # explicit credentials (already-assumed role)


@dataclass
class AwsContext:
    """Creates and caches clients per (service, region) for one account."""
    options: AwsOptions = field(default_factory=AwsOptions)
    _session: boto3.session.Session | None = None
    _clients: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _account: str | None = None
    _guard: readonly.Guard | None = None
    # What one scan shares across its clients and threads (artefact read cache and
    # byte budget); an organisation scan hands it to every member account's context.
    scan_state: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.options.read_only and self.options.allow_list is None:
            raise ValueError("a read-only AwsContext needs its allow-list (AwsOptions.allow_list; a scan's "
                             "comes from mlwarden.permissions.scan_options)")

    @property
    def session(self) -> boto3.session.Session:
        if self._session is None:
            creds = self.options.credentials or {}
            self._session = boto3.session.Session(
                botocore_session=_botocore_session(),
                profile_name=self.options.profile if not creds else None,
                aws_access_key_id=creds.get("AccessKeyId"),
                aws_secret_access_key=creds.get("SecretAccessKey"),
                aws_session_token=creds.get("SessionToken"),
            )
        return self._session

    def config(self, *, retries: dict | None = None) -> Config:
        return Config(
            # Adaptive mode, set up by `calls.install` so that its rate limiter's waits
            # end at the deadlines (scan clients); write clients pass their own `retries`.
            retries=retries or {"mode": "standard", "max_attempts": self.options.max_attempts},
            # With an explicit endpoint, account-level host prefixes
            # (123456789012.127.0.0.1:PORT for S3 Control) do not resolve.
            inject_host_prefix=self.options.endpoint_url is None,
            connect_timeout=self.options.connect_timeout,
            read_timeout=self.options.read_timeout,
            # One client per service and region serves every collector and item thread
            # using it: a connection each, not botocore's 10 (a full pool drops connections).
            max_pool_connections=max(10, self.options.max_workers * self.options.item_workers,
                                     self.options.artefact_workers),
            user_agent_extra="mlwarden",
        )

    def client(self, service: str, region: str):
        key = (service, region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self.session.client(
                    service, region_name=region, endpoint_url=self.options.endpoint_url,
                    config=self.config())
                if self.options.read_only:
                    readonly.install(client, self.guard())
                calls.install(client, call_deadline=self.options.call_deadline)
                if self.options.endpoint_url and service == "s3control":
                    # S3 Control's endpoint rules put the account id in front of any
                    # custom endpoint's host (123456789012.127.0.0.1:PORT), which does
                    # not resolve; inject_host_prefix does not reach it. Undo it.
                    client.meta.events.register("before-sign.s3-control.*", _strip_account_host)
                self._clients[key] = client
            return client

    def close(self) -> None:
        """Drop this context's clients (their connection pools and service models); a
        later `client` makes a new one. The session and its credentials stay."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            try:
                client.close()
            except Exception:   # an old botocore without close(), or a pool already gone
                pass

    def guard(self) -> readonly.Guard:
        """The read-only guard: the allow-list its creator handed in, and the extra reads."""
        if self._guard is None:
            actions = {*(self.options.allow_list or ()), *self.options.extra_reads}
            self._guard = readonly.Guard(actions=frozenset(actions),
                                         assume_role_name=self.options.assume_role_name)
        return self._guard

    def reading(self, *actions: str) -> "AwsContext":
        """This context, allowed the reads `actions` besides the scan's (same credentials)."""
        if not self.options.read_only or set(actions) <= set(self.options.extra_reads):
            return self
        import dataclasses
        options = dataclasses.replace(self.options, extra_reads=tuple(sorted({*self.options.extra_reads, *actions})))
        ctx = AwsContext(options=options, _session=self._session, scan_state=self.scan_state)
        ctx._account = self._account
        return ctx

    def write_client(self, service: str, region: str):
        """A client for mutating calls that sends each request exactly once.

        The transport never retries a write: a retry after a lost answer would
        repeat a change AWS may already have made (UpdateEndpoint twice). Whoever
        sends a write re-reads the resource before deciding to send it again."""
        if self.options.read_only:
            raise readonly.WriteRefused("a read-only AwsContext has no write client")
        key = ("write", service, region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self.session.client(
                    service, region_name=region, endpoint_url=self.options.endpoint_url,
                    config=self.config(retries={"mode": "standard", "total_max_attempts": 1}))
                if self.options.endpoint_url and service == "s3control":
                    client.meta.events.register("before-sign.s3-control.*", _strip_account_host)
                self._clients[key] = client
            return client

    def account_id(self, region: str = "us-east-1") -> str:
        if self._account is None:
            self._account = self.client("sts", region).get_caller_identity()["Account"]
        return self._account

    def partition(self, region: str) -> str:
        if region.startswith("cn-"):
            return "aws-cn"
        if region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"


_LOADER_LOCK = threading.Lock()
_LOADER: list = []
# Callables run on every botocore session this process creates from now on (see
# `session_hook`): how benchmarks and tests observe a scan's calls through botocore's
# own events, independently of the hooks `calls.install` puts on each client.
_SESSION_HOOKS: list[Callable[[botocore.session.Session], None]] = []


@contextmanager
def session_hook(hook: Callable[[botocore.session.Session], None]) -> Iterator[None]:
    """Run `hook(session)` on each botocore session created inside the block (every
    context and assumed-role context of a scan makes one); the clients made from such a
    session inherit the handlers `hook` registers (`before-call`, `before-send`, …)."""
    with _LOADER_LOCK:
        _SESSION_HOOKS.append(hook)
    try:
        yield
    finally:
        with _LOADER_LOCK:
            _SESSION_HOOKS.remove(hook)


def _botocore_session() -> botocore.session.Session:
    """A fresh botocore session (own credentials and profile) sharing one data loader:
    service models are parsed once per process, not once per context (an organisation
    scan makes one context per account; parsing them costs seconds on a busy machine)."""
    bs = botocore.session.Session()
    with _LOADER_LOCK:
        if not _LOADER:
            _LOADER.append(bs.get_component("data_loader"))
        bs.register_component("data_loader", _LOADER[0])
        hooks = list(_SESSION_HOOKS)
    for hook in hooks:
        hook(bs)
    return bs


def release_models() -> None:
    """Empty the shared data loader's cache, so the service models it parsed (about 40 MB
    of objects for a scan's services) are freed once no client refers to them any more
    (`AwsContext.close`). A client made later parses its model again (botocore's
    `instance_cache` keeps loaded files in the loader's `_cache`)."""
    with _LOADER_LOCK:
        cache = getattr(_LOADER[0], "_cache", None) if _LOADER else None
        if isinstance(cache, dict):
            cache.clear()


def _strip_account_host(request, **kwargs) -> None:
    parts = urlsplit(request.url)
    account, _, rest = parts.netloc.partition(".")
    if account.isdigit() and len(account) == 12 and rest:
        request.url = urlunsplit(parts._replace(netloc=rest))


def paginate(client, operation: str, result_key: str, **params) -> Iterator[Any]:
    """Yield every item of `result_key` across all pages, whether or not botocore
    knows a paginator for the operation.

    A page without `result_key`, or with something other than a list there, raises
    `ResponseUnreadable`: an answer we cannot read is never "nothing there".
    Pages are as large as the operation allows (`page_size`): SageMaker's List* calls
    answer 10 items per page unless asked for up to 100.
    """
    params = {**page_size(client, operation), **params}
    if client.can_paginate(xform_name(operation)):
        for page in client.get_paginator(xform_name(operation)).paginate(**params):
            yield from _items(client, operation, page, result_key)
        return
    call = getattr(client, xform_name(operation))
    token_in, token_out = "NextToken", "NextToken"
    # Service Catalog pages with PageToken → NextPageToken: follow what the model declares,
    # so a second page is never silently dropped.
    shape = client.meta.service_model.operation_model(operation).output_shape
    if shape is not None and "NextPageToken" in shape.members and "NextToken" not in shape.members:
        token_in, token_out = "PageToken", "NextPageToken"
    while True:
        page = call(**params)
        yield from _items(client, operation, page, result_key)
        token = page.get(token_out)
        if not token:
            return
        params = {**params, token_in: token}


# Page-size parameters, largest first; the operation's model gives each one's maximum.
_PAGE_SIZE_PARAMS = ("MaxResults", "MaxItems", "MaxRecords", "MaxBuckets", "Limit")


def page_size(client, operation: str) -> dict:
    """{"MaxResults": <the maximum the operation accepts>} (or MaxItems, …) when its
    model declares one with a maximum; {} when it has none (AWS then picks)."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    members = shape.members if shape is not None else {}
    for name in _PAGE_SIZE_PARAMS:
        limit = members[name].metadata.get("max") if name in members else None
        if limit:
            return {name: int(limit)}
    return {}


def _items(client, operation: str, page: Any, result_key: str) -> list:
    items = page.get(result_key) if isinstance(page, dict) else None
    if isinstance(items, list):
        return items
    action = calls.action_of(client.meta.service_model.operation_model(operation))
    if not isinstance(page, dict) or result_key not in page:
        raise calls.ResponseUnreadable(action=action, reason=f"no {result_key!r} in the answer")
    raise calls.ResponseUnreadable(
        action=action, reason=f"{result_key!r} is a {type(items).__name__}, not a list")


def run_bounded(tasks: Iterable[Callable[[], Any]], max_workers: int) -> list[Any]:
    """Run callables on a bounded pool, return their results in order."""
    tasks = list(tasks)
    if max_workers <= 1 or len(tasks) <= 1:
        return [t() for t in tasks]
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="mlw") as pool:
        return list(pool.map(lambda t: t(), tasks))
