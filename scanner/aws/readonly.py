"""The read-only guard: in scan mode, any AWS call that is not a read is refused
before it is sent.

It is a botocore `before-call` hook registered on every client the scan creates,
so the guarantee does not depend on collectors being written carefully.
"""
from __future__ import annotations

import re

# An operation is a read when its name starts with one of these verbs. AWS names
# its APIs consistently; everything else (Create, Put, Update, Delete, Attach,
# Start, Stop, Tag, ...) is a write and refused.
_READ = re.compile(r"^(Describe|Get|List|Head|Search|Lookup|BatchGet|Query|Select)[A-Z]")

# Calls that do not match the verbs but change nothing in the account: assuming a
# role only issues temporary credentials (organisation scans need it).
NON_MUTATING = frozenset({("sts", "AssumeRole")})


class WriteRefused(RuntimeError):
    """Raised instead of sending a mutating call in read-only mode."""


def is_read_operation(operation_name: str) -> bool:
    return bool(_READ.match(operation_name))


def _guard(model, **kwargs):
    name = model.name
    service = model.service_model.service_name
    if not is_read_operation(name) and (service, name) not in NON_MUTATING:
        raise WriteRefused(
            f"mlwarden scan is read-only: refused {service}:{name} before it was sent")


def install(client) -> None:
    """Refuse every non-read operation on `client`."""
    client.meta.events.register_first("before-call.*.*", _guard)
