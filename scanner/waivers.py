"""Waivers: accepted risks, each with an owner, a reason and an expiry.

A waived FAIL becomes WAIVED and stays in the report with its reason; the day the
waiver expires the finding is a FAIL again. A waiver that matches nothing is
reported, so stale waivers do not pile up unseen.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import yamlload
from .errors import InputError
from .jsonload import read_text
from .model import Finding, Status


@dataclass(frozen=True, kw_only=True)
class Waiver:
    policy_id: str        # exact id, or a glob (MLW-TAG-*)
    resource: str         # ARN or glob over ARN / id
    reason: str
    owner: str
    expires: dt.date
    line: int = 0

    def matches(self, f: Finding) -> bool:
        if not fnmatch.fnmatchcase(f.policy_id, self.policy_id):
            return False
        arn, rid = f.resource.get("arn") or "", f.resource.get("id") or ""
        return fnmatch.fnmatchcase(arn, self.resource) or fnmatch.fnmatchcase(rid, self.resource)

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    def to_dict(self, today: dt.date) -> dict:
        return {"policy_id": self.policy_id, "resource": self.resource, "reason": self.reason,
                "owner": self.owner, "expires": self.expires.isoformat(),
                "expired": self.expired(today)}


def load(path: Path | None) -> list[Waiver]:
    if path is None:
        return []
    path = Path(path)
    text = read_text(path, "waivers file")
    yamlload.check(text, str(path), "waivers file")
    try:
        nodes = yaml.compose(text)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"{path}:{mark.line + 1 if mark else 1}: waivers are not valid YAML: "
                         f"{getattr(exc, 'problem', None) or exc}") from None
    if doc is None:
        return []
    items = doc.get("waivers") if isinstance(doc, dict) else doc
    item_nodes = None
    if isinstance(doc, dict) and nodes is not None:
        for k, v in nodes.value:
            if k.value == "waivers":
                item_nodes = v.value
    elif nodes is not None:
        item_nodes = nodes.value
    if not isinstance(items, list):
        raise InputError(f"{path}:1: waivers must be a list (or a mapping with a 'waivers' list)")
    out = []
    for i, item in enumerate(items):
        line = item_nodes[i].start_mark.line + 1 if item_nodes else 1
        where = f"{path}:{line}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: a waiver must be a mapping")
        unknown = set(item) - {"policy_id", "resource", "reason", "owner", "expires"}
        if unknown:
            raise InputError(f"{where}: unknown waiver field(s): {', '.join(sorted(unknown))}")
        for key in ("policy_id", "resource", "reason", "owner", "expires"):
            if item.get(key) in (None, ""):
                raise InputError(f"{where}: waiver needs '{key}'")
        expires = item["expires"]
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise InputError(f"{where}: waiver 'expires' must be a date like 2027-03-31") from None
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        if not isinstance(expires, dt.date):
            raise InputError(f"{where}: waiver 'expires' must be a date like 2027-03-31")
        out.append(Waiver(policy_id=str(item["policy_id"]), resource=str(item["resource"]),
                          reason=str(item["reason"]), owner=str(item["owner"]), expires=expires,
                          line=line))
    return out


def apply(findings: list[Finding], waivers: list[Waiver], today: dt.date) -> list[dict]:
    """Mark waived failures; return the waiver report (each waiver, expiry, matches)."""
    used = {id(w): 0 for w in waivers}
    for f in findings:
        if f.status not in (Status.FAIL, Status.WAIVED):
            continue
        for w in waivers:
            if w.matches(f):
                used[id(w)] += 1
                f.waiver = w.to_dict(today)
                f.status = Status.FAIL if w.expired(today) else Status.WAIVED
                break
    return [{**w.to_dict(today), "matched": used[id(w)], "unused": used[id(w)] == 0}
            for w in waivers]
