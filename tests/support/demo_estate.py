"""The demo estate on a moto server of its own, seeded over HTTP as `mlwarden demo`
seeds it: for the tests that scan it through `--endpoint-url` (end to end, the call
budget, the fault matrix)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterable, Iterator


@contextmanager
def seeded_demo_server(regions: Iterable[str] | None = None) -> Iterator[tuple]:
    """(server, estate): a started `MotoServer` holding the demo estate (in `regions`,
    the demo's region by default); stopped on leaving the block."""
    from mlwarden.demo import moto_extensions
    from mlwarden.demo.estate import DEMO_REGION, seed
    from mlwarden.demo.server import MotoServer, fake_credentials

    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    moto_extensions.install()   # before the server answers its first request
    server = MotoServer().start()
    try:
        server.reset()  # moto's backends are per process: start from nothing
        with fake_credentials():
            estate = seed(server.url, tuple(regions or (DEMO_REGION,)))
        yield server, estate
    finally:
        server.stop()
