"""Command groups beyond the core ones in `cli.py`, one module per group
(`policies`, `remediate`, `schedule`, `iac`…). Each module attaches its commands
to `mlwarden.cli.main`; `load_all()` imports every module here."""
import importlib
import pkgutil


def load_all() -> None:
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
