"""Token buckets per (service, operation): AWS meters API requests per account,
region and operation with a bucket that refills at a steady rate and allows a
short burst (EC2 API reference, "Request throttling for the Amazon EC2 API":
https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html; other
services document the same scheme less formally)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    rate: float          # tokens added per second
    burst: float         # the most tokens the bucket holds
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def take(self, now: float) -> bool:
        """One token if there is one (the request goes through); False: throttled."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass(frozen=True, kw_only=True)
class RateLimits:
    """Requests per second per operation: `default` unless `per_operation` names it
    ("sagemaker:ListTags" or just "sagemaker" for all of a service). 0 means unlimited."""
    default: float = 10.0
    burst_seconds: float = 1.0   # a bucket holds this many seconds' worth of requests
    per_operation: dict[str, float] = field(default_factory=dict)

    def rate(self, service: str, operation: str) -> float:
        return self.per_operation.get(f"{service}:{operation}",
                                      self.per_operation.get(service, self.default))


class Throttle:
    """Thread-safe: one bucket per (service, operation), made on first use."""

    def __init__(self, limits: RateLimits):
        self.limits = limits
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def admit(self, service: str, operation: str) -> bool:
        rate = self.limits.rate(service, operation)
        if rate <= 0:
            return True
        with self._lock:
            bucket = self._buckets.get((service, operation))
            if bucket is None:
                bucket = self._buckets[(service, operation)] = TokenBucket(
                    rate=rate, burst=max(1.0, rate * self.limits.burst_seconds))
            return bucket.take(time.monotonic())

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
