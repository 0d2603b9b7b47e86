"""The `mlwarden` commands, one module per command or group (`scan`, `policies`,
`remediate`, `schedule`, `iac`…). Each module attaches its commands to `main`
(`base.py`, which also holds what they share); `load_all()` imports every module
here, and `scanner/cli.py` calls it."""
import importlib
import pkgutil


def load_all() -> None:
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
