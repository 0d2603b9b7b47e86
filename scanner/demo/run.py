"""`mlwarden demo`: a local AWS stand-in, the demo estate, and a real scan of it.

The scan goes through exactly the code path a real account uses: the library's
`collect_inventory` with an endpoint URL (the moto server instead of AWS) and
credentials from the environment, then `evaluate_inventory` with a settings file.
Only the endpoint and the fake credentials differ from `mlwarden scan`.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..api import EvalOptions, collect_inventory, evaluate_inventory
from ..aws.session import AwsOptions
from ..evaluate import FindingsDocument
from ..inventory import Inventory
from .estate import DEMO_REGION, seed
from .server import MotoServer, fake_credentials


def demo_settings_file() -> Path:
    """The demo organisation's settings (a registry quota small enough to hit)."""
    return Path(str(resources.files("mlwarden.demo").joinpath("settings.yaml")))


def run_demo(out_dir: Path, engine: str = "wasm", *,
             regions: tuple[str, ...] = (DEMO_REGION,), redact: bool = True) -> tuple[FindingsDocument, Inventory]:
    """Start moto, seed the estate, scan it, save inventory.json; return findings and inventory.

    The server is stopped whatever happens. The caller writes the reports.
    """
    from . import moto_extensions

    out_dir = Path(out_dir)
    moto_extensions.install()   # before the server answers its first request
    server = MotoServer().start()
    try:
        with fake_credentials():
            seed(server.url, regions)
            inv = collect_inventory(AwsOptions(endpoint_url=server.url), list(regions), redact=redact)
            out_dir.mkdir(parents=True, exist_ok=True)
            inv.save(out_dir / "inventory.json")
            doc = evaluate_inventory(inv, EvalOptions(settings_file=demo_settings_file(),
                                                      engine=engine))
        return doc, inv
    finally:
        server.stop()
