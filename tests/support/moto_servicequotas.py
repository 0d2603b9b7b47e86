"""Service Quotas for SageMaker in the tests: the demo's emulation
(mlwarden.demo.moto_extensions, which follows the Service Quotas API reference: moto
5.2.5 knows only `vpc` and has no ListServiceQuotas), with the applied values a test
sets instead of the demo account's.

- ListAWSDefaultServiceQuotas(ServiceCode="sagemaker") answers AWS's default values.
- ListServiceQuotas answers the applied values. AWS returns a quota there only when
  an applied value is available for it; tests set one with `apply_quota(...)`.
- `declare(monkeypatch, ...)`: a test's own quota table (codes, names, values) in
  place of the emulation's, for that test only.
"""
from __future__ import annotations

from mlwarden.demo import moto_extensions


def apply_quota(account: str, region: str, code: str, value: float) -> None:
    """Give a quota an applied value, as an approved quota increase would."""
    moto_extensions.APPLIED.setdefault((account, region), {})[code] = value


def install() -> None:
    """The emulation with no applied values anywhere (only AWS's defaults)."""
    moto_extensions.install()
    moto_extensions.APPLIED.clear()
    moto_extensions.APPLIED_ELSEWHERE.clear()


def reset() -> None:
    """Back to the demo account's applied values, for the tests that run the demo."""
    moto_extensions.APPLIED.clear()
    moto_extensions.APPLIED_ELSEWHERE.clear()
    moto_extensions.APPLIED_ELSEWHERE.update(moto_extensions.DEMO_APPLIED)


def isolate(monkeypatch) -> None:
    """For one test: no applied values anywhere, the test's own (via `apply_quota`)."""
    monkeypatch.setattr(moto_extensions, "APPLIED", {})
    monkeypatch.setattr(moto_extensions, "APPLIED_ELSEWHERE", {})


def declare(monkeypatch, *quotas: tuple[str, str, float, bool]) -> None:
    """For one test, the sagemaker quotas AWS answers by default: (code, name, value,
    adjustable) each, in place of the emulation's SAGEMAKER_DEFAULTS."""
    monkeypatch.setattr(moto_extensions, "SAGEMAKER_DEFAULTS", list(quotas))
