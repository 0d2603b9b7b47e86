"""`mlwarden demo`: a local AWS stand-in, the demo estate, and a real scan of it.

The scan goes through exactly the code path a real account uses: the scan pipeline
(scanner/pipeline.py) over the live source `mlwarden scan` reads, with an endpoint URL
(the moto server instead of AWS) and credentials from the environment, and a settings file.
It reads both of the demo's accounts (the workload account and the central model
registry) as `mlwarden scan --accounts A,B --role-name mlwarden-scan` does. Only the
endpoint and the fake credentials differ from `mlwarden scan`.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Callable

from ..permissions import scan_options
from ..findings import FindingsDocument
from ..inventory import Inventory, ProgressFn
from ..pipeline import EvalOptions, live_source, run_scan
from .estate import DEMO_REGION, seed
from .server import MotoServer, fake_credentials

# The role an organisation scan assumes in each account (`--role-name`).
SCAN_ROLE = "mlwarden-scan"


def demo_settings_file() -> Path:
    """The demo organisation's settings (a registry quota small enough to hit)."""
    return Path(str(resources.files("mlwarden.demo").joinpath("settings.yaml")))


def run_demo(out_dir: Path | None, engine: str = "wasm", *,
             regions: tuple[str, ...] = (DEMO_REGION,), progress: ProgressFn | None = None,
             phase: Callable[[str, str], None] | None = None,
             redact: bool = True) -> tuple[FindingsDocument, Inventory]:
    """Start moto, seed the estate, scan it; return findings and inventory (saved as
    inventory.json in `out_dir` when one is given: the CLI writes its outputs itself).

    The server is stopped whatever happens. The caller writes the reports.
    """
    from .server import require_moto
    require_moto()
    from . import moto_extensions

    phase = phase or (lambda name, detail="": None)
    moto_extensions.install()   # before the server answers its first request
    phase("starting the demo's AWS stand-in", "")
    server = MotoServer().start()
    try:
        with fake_credentials():
            phase("seeding the demo estate", "")
            estate = seed(server.url, regions)
            # Both accounts, as an organisation scan reads them: through a role in each.
            source = live_source(scan_options(endpoint_url=server.url), list(regions), progress=progress,
                                 redact=redact, accounts=[estate.account, estate.registry_account],
                                 role_name=SCAN_ROLE)

            def before_evaluate(inv: Inventory) -> None:
                if out_dir is not None:
                    Path(out_dir).mkdir(parents=True, exist_ok=True)
                    inv.save(Path(out_dir) / "inventory.json")
                phase("evaluating", f"{len(inv.resources)} resources")
            result = run_scan(source, EvalOptions(settings_file=demo_settings_file(), engine=engine),
                              before_evaluate=before_evaluate)
        return result.findings, result.inventory
    finally:
        server.stop()
