"""The demo's Lambda function: the step of the fraud team's pipeline that checks a new
batch of features before training (encrypted environment, the team's role and tags)."""
from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .estate_base import Estate

HANDLER = "def handler(event, context):\n    return {\"rows_ok\": True}\n"


def _package() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("check.py", date_time=(2026, 1, 1, 0, 0, 0))   # reproducible bytes
        z.writestr(info, HANDLER)
    return buf.getvalue()


def seed_functions(lam, e: "Estate", tags: dict[str, str]) -> None:
    """`lam`: a Lambda client on the demo's endpoint; records what it made in `e.functions`."""
    name = "fraud-feature-check"
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=e.roles["execution"],
                        Handler="check.handler", Code={"ZipFile": _package()},
                        KMSKeyArn=e.kms_keys["ml-data"], Environment={"Variables": {"STAGE": "prod"}},
                        Tags=tags)
    e.functions.append(name)
