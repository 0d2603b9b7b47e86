"""Test controls around the one AWS emulation, for the remediation tests.

The emulation itself (UpdateNotebookInstance, UpdateEndpoint with blue/green and
rollback, the Service Quotas increase requests and their history, the AddTags and
UpdateModelPackage fixes) is product demo code, `mlwarden.demo.moto_updates`, shared
with `mlwarden demo`; here it is applied with pytest's monkeypatch so it ends with
the test. The tests' controls live here, wrapped around it, not in the product:
`fail_next_update` (the next deployment fails and rolls back), `during_update` and
`after_update` (called while an update shifts traffic, and once it has finished on the
new configuration), and `updates_seen` (the UpdateEndpoint requests as sent).

The sagemaker quotas are the one emulation's (mlwarden.demo.moto_extensions), with
no applied values unless a test sets some; a test declares its own table with
tests/support/moto_servicequotas.py `declare`.

`install(monkeypatch)` re-applies the demo's update patches with this test's state
(on top of the session's emulation, tests/conftest.py) and returns `Hooks`, the
failure-injection controls.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from mlwarden.demo import moto_updates
from mlwarden.demo.moto_updates import UpdateState, patches

from . import moto_servicequotas


@dataclass
class Hooks(UpdateState):
    """The demo's update state, polled twice per update, plus the test's controls."""
    describes_until_done: int = 2
    # set: the next endpoint update fails with this FailureReason and rolls back.
    fail_next_update: str | None = None
    # called on the first DescribeEndpoint while Updating (e.g. put an alarm in ALARM
    # while traffic shifts, as a real bad model would).
    during_update: list[Callable[[], None]] = field(default_factory=list)
    # called when an update has finished on the new configuration (e.g. an alarm that
    # fires only once all traffic is on the new model, during the bake).
    after_update: list[Callable[[], None]] = field(default_factory=list)
    updates_seen: list[dict] = field(default_factory=list)     # UpdateEndpoint requests, as sent
    _failing: dict[str, str] = field(default_factory=dict)     # endpoint arn → its injected failure
    _shifting: set[str] = field(default_factory=set)           # endpoint arns past their first poll


HOOKS: Hooks | None = None


def install(monkeypatch) -> Hooks:
    global HOOKS
    hooks = HOOKS = Hooks()
    moto_servicequotas.isolate(monkeypatch)
    demo = {(cls, name): fn for cls, name, fn in patches(hooks)}
    for (cls, name), fn in demo.items():
        monkeypatch.setattr(cls, name, fn, raising=False)
    _observe_endpoint_updates(monkeypatch, hooks, demo)

    return hooks


def _observe_endpoint_updates(monkeypatch, hooks: Hooks, demo: dict) -> None:
    """The tests' controls around the demo's UpdateEndpoint / DescribeEndpoint emulation."""
    demo_update = demo[(SageMakerResponse, "update_endpoint")]
    demo_describe = demo[(SageMakerModelBackend, "describe_endpoint")]
    demo_finish = moto_updates.finish_update

    def update_endpoint(self):
        result = demo_update(self)
        hooks.updates_seen.append({"EndpointName": self._get_param("EndpointName"),
                                   "EndpointConfigName": self._get_param("EndpointConfigName"),
                                   "DeploymentConfig": self._get_param("DeploymentConfig") or {}})
        if hooks.fail_next_update:
            hooks._failing[result.result["EndpointArn"]] = hooks.fail_next_update
            hooks.fail_next_update = None
        return result

    def describe_endpoint(self, endpoint_name: str):
        ep = self.endpoints.get(endpoint_name)
        if ep is not None and ep.arn in hooks._pending and ep.arn not in hooks._shifting:
            hooks._shifting.add(ep.arn)
            for fn in hooks.during_update:
                fn()
        return demo_describe(self, endpoint_name)

    def finish_update(backend, ep, pending: dict) -> bool:
        hooks._shifting.discard(ep.arn)
        failure = hooks._failing.pop(ep.arn, None)
        if failure is not None:   # rolled back: still InService, on the old configuration
            ep.endpoint_status, ep.failure_reason = "InService", failure
            return False
        finished = demo_finish(backend, ep, pending)
        if finished:
            for fn in hooks.after_update:
                fn()
        return finished

    monkeypatch.setattr(SageMakerResponse, "update_endpoint", update_endpoint, raising=False)
    monkeypatch.setattr(SageMakerModelBackend, "describe_endpoint", describe_endpoint)
    monkeypatch.setattr(moto_updates, "finish_update", finish_update)
