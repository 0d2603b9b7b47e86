"""Redaction: values that can hold a secret never reach an output.

One pass over every resource document, whatever its source (live collectors,
CloudFormation, Terraform, pipeline definitions, saved inventories), before the
inventory is saved or judged. The key stays; the value becomes

    "[redacted:<12 hex>]"        HMAC-SHA256(key, value), first 48 bits

so a changed value shows as a changed marker from one scan to the next, and the
same value in two places shows as the same marker, without the value. What is
redacted (by property name, at any depth):

- `Environment` (a map, Lambda's `{Variables: …}` or ECS's `[{Name, Value}]`),
  `HyperParameters`, `StaticHyperParameters`: every value;
- `ContainerArguments`, `ContainerEntrypoint`: every element (command lines carry
  tokens as often as environments do);
- lifecycle configuration scripts (`OnCreate[].Content`, `OnStart[].Content`);
- any property whose name says it holds a secret (`…Password`, `…Secret`,
  `…SecretString`, `…Token`, `…ApiKey`, `…PrivateKey`, `…Credentials`) and is not a
  reference to one (`…Arn`, `…Id`, `…Name`);
- pipeline parameter defaults (`PipelineDefinition.Parameters[].DefaultValue`),
  except Boolean parameters and parameters that only feed the settings policies
  judge (keys, roles, network, instances, stopping condition, approval status) and
  that no detector flags; an unparsed `PipelineDefinitionBody` as a whole.

Expressions that name a value without holding it (`{"Get": "Parameters.X"}`) and
values unknown before deployment (`{"mlwarden:unknown": …}`) are kept.

Before a value is replaced, a detector (`secret_detection.py`) judges it; what it
found lands in `facts.secret_findings` as `{path, detector}` (plus `line` in a
script), so policies judge secrets without seeing them. The pass is idempotent:
markers are left alone and earlier findings are kept.

The HMAC key is per installation, not per scan: with a new key every scan, every
marker would change every time and a real change would be invisible. It is read
from MLWARDEN_REDACTION_KEY (hex, for Lambda and CI), else from the file
MLWARDEN_REDACTION_KEY_FILE (default ~/.config/mlwarden/redaction.key, created with
32 random bytes, mode 0600). Where neither can be had, a key for this scan only is
used and the scan metadata says so (`key_scope: scan`). A keyed hash, not a plain
one: a plain SHA-256 of "hunter2" is found by a dictionary in a second; without
the key a marker reveals nothing. `key_id` (a hash of the key) tells whether two
reports' markers are comparable.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .model import Resource
from .secret_detection import Detector, detector_name

MARKER = re.compile(r"^\[redacted:[0-9a-f]{12}\]$")
FACT = "secret_findings"

_VALUE_MAPS = {"Environment", "HyperParameters", "StaticHyperParameters"}
_VALUE_LISTS = {"ContainerArguments", "ContainerEntrypoint"}
_SCRIPTS = {"OnCreate", "OnStart"}
_SECRET_NAME = re.compile(r"(password|passwd|passphrase|secret|secretstring|token|apikey|api_key|privatekey|"
                          r"private_key|credentials?)$", re.I)
_REFERENCE_NAME = re.compile(r"(arn|arns|id|ids|name|names|type|length|ttl|version|enabled|rotation\w*)$", re.I)
# Step arguments whose values the shipped pipeline policies judge through a parameter.
_JUDGED_KEYS = {"KmsKeyId", "VolumeKmsKeyId", "EnableNetworkIsolation", "EnableInterContainerTrafficEncryption",
                "Subnets", "SecurityGroupIds", "MaxRuntimeInSeconds", "MaxWaitTimeInSeconds", "RoleArn",
                "ExecutionRoleArn", "InstanceType", "InstanceCount", "VolumeSizeInGB", "ModelApprovalStatus",
                "S3Uri", "S3OutputPath", "TrainingImage", "ImageUri"}


@dataclass(frozen=True, kw_only=True)
class RedactionKey:
    secret: bytes
    scope: str      # installation | environment | scan

    @property
    def key_id(self) -> str:
        return hmac.new(self.secret, b"mlwarden-redaction-key-id", hashlib.sha256).hexdigest()[:8]

    def marker(self, value: Any) -> str:
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
        return f"[redacted:{hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()[:12]}]"


def key_file() -> Path:
    explicit = os.environ.get("MLWARDEN_REDACTION_KEY_FILE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mlwarden" / "redaction.key"


def load_key() -> RedactionKey:
    env = os.environ.get("MLWARDEN_REDACTION_KEY")
    if env:
        try:
            return RedactionKey(secret=bytes.fromhex(env.strip()), scope="environment")
        except ValueError:
            from .errors import InputError
            raise InputError("MLWARDEN_REDACTION_KEY: not a hex string") from None
    path = key_file()
    try:
        return RedactionKey(secret=bytes.fromhex(path.read_text().strip()), scope="installation")
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        return _scan_key()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        return RedactionKey(secret=bytes.fromhex(path.read_text().strip()), scope="installation")
    except (OSError, ValueError):   # read-only home (Lambda), a race lost to a broken file
        return _scan_key()


_SCAN_KEY: list[RedactionKey] = []


def _scan_key() -> RedactionKey:
    """One random key for this process (one scan, all its accounts)."""
    if not _SCAN_KEY:
        _SCAN_KEY.append(RedactionKey(secret=secrets.token_bytes(32), scope="scan"))
    return _SCAN_KEY[0]


def redact_resources(resources: Iterable[Resource], *, enabled: bool = True,
                     key: RedactionKey | None = None) -> dict:
    """Detect, then (when `enabled`) redact, in place. Returns the metadata a scan records."""
    key = key or load_key()
    with Detector() as detector:
        for r in resources:
            _Pass(r, key, detector, enabled).run()
    meta = {"enabled": enabled, "detector": detector_name()}
    if enabled:
        meta.update(key_id=key.key_id, key_scope=key.scope, marker="[redacted:<HMAC-SHA256 of the value, 48 bits>]")
    else:
        meta["warning"] = ("--no-redact: environment variables, hyperparameters, pipeline parameters and "
                           "lifecycle scripts are written in plaintext; do not share this output")
    return meta


class _Pass:
    def __init__(self, r: Resource, key: RedactionKey, detector: Detector, enabled: bool):
        self.r, self.key, self.detector, self.enabled = r, key, detector, enabled
        # Earlier findings are kept (the pass is idempotent); a saved inventory may carry a
        # garbled list, of which only well-formed entries survive.
        earlier = r.facts.get(FACT)
        self.found: list[dict] = [f for f in earlier if isinstance(f, dict) and isinstance(f.get("path"), str)
                                  and isinstance(f.get("detector"), str)] if isinstance(earlier, list) else []

    def run(self) -> None:
        props = self.r.properties
        definition = props.get("PipelineDefinition")
        if isinstance(definition, dict):
            self._pipeline(definition, "properties.PipelineDefinition")
        self.r.properties = self._walk(props, "properties")
        if self.found:
            self.r.facts[FACT] = _unique(self.found)
            self.r.facts[f"{FACT}_derived_by"] = (f"{detector_name()} on the values before redaction; "
                                                  "the values are not kept")

    # --- the generic walk ---------------------------------------------------------------

    def _walk(self, node: Any, path: str) -> Any:
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                p = f"{path}.{k}"
                if k in _VALUE_MAPS:
                    out[k] = self._values(v, p, name=None)
                elif k in _VALUE_LISTS:
                    out[k] = self._values(v, p, name=k)
                elif k in _SCRIPTS and isinstance(v, list):
                    out[k] = [self._script_hook(h, f"{p}.{i}") for i, h in enumerate(v)]
                elif k == "PipelineDefinitionBody" and isinstance(v, str):
                    out[k] = self._replace(v, p, name=k)
                elif isinstance(v, (str, int, float)) and not isinstance(v, bool) and _secret_name(k):
                    out[k] = self._replace(v, p, name=k)
                else:
                    out[k] = self._walk(v, p)
            return out
        if isinstance(node, list):
            return [self._walk(v, f"{path}.{i}") for i, v in enumerate(node)]
        return node

    def _values(self, node: Any, path: str, name: str | None) -> Any:
        """Every value inside an environment-like property, names kept."""
        if _kept(node):
            return node
        if isinstance(node, dict):
            if set(node) >= {"Name", "Value"} and isinstance(node.get("Name"), str):   # ECS shape
                return {**node, "Value": self._values(node["Value"], f"{path}.Value", node["Name"])}
            return {k: self._values(v, f"{path}.{k}", k) for k, v in node.items()}
        if isinstance(node, list):
            return [self._values(v, f"{path}.{i}", name) for i, v in enumerate(node)]
        if node is None or isinstance(node, bool):
            return node
        return self._replace(node, path, name=name or path.rsplit(".", 1)[-1])

    def _script_hook(self, hook: Any, path: str) -> Any:
        if not isinstance(hook, dict) or "Content" not in hook or _kept(hook["Content"]):
            return self._walk(hook, path)
        content = hook["Content"]
        p = f"{path}.Content"
        if isinstance(content, str) and not MARKER.match(content):
            try:
                text = base64.b64decode(content, validate=True).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                text = content    # a template may hold the script itself
            self.found += [{"path": p, "line": n, "detector": d} for n, d in self.detector.script(text)]
        return {**hook, "Content": self._mark(content)}

    def _replace(self, value: Any, path: str, *, name: str) -> Any:
        if isinstance(value, str) and not MARKER.match(value):
            self.found += [{"path": path, "detector": d} for d in self.detector.value(name, value)]
        return self._mark(value)

    def _mark(self, value: Any) -> Any:
        if not self.enabled or (isinstance(value, str) and MARKER.match(value)):
            return value
        return self.key.marker(value)

    # --- pipeline parameter defaults ----------------------------------------------------

    def _pipeline(self, definition: dict, path: str) -> None:
        params = definition.get("Parameters")
        if not isinstance(params, list):
            return
        judged = _judged_parameters(definition.get("Steps"))
        for i, p in enumerate(params):
            if not isinstance(p, dict) or "DefaultValue" not in p or _kept(p["DefaultValue"]):
                continue
            value, name = p["DefaultValue"], str(p.get("Name") or "")
            p_path = f"{path}.Parameters.{i}.DefaultValue"
            hits = self.detector.value(name, value) if isinstance(value, str) and not MARKER.match(value) else []
            self.found += [{"path": p_path, "detector": d} for d in hits]
            keep = (p.get("Type") == "Boolean" or name in judged) and not hits and not _secret_name(name)
            if not keep:
                p["DefaultValue"] = self._mark(value)


def _judged_parameters(steps: Any) -> set[str]:
    """Parameters referenced from a step argument a policy judges (and only there)."""
    judged: set[str] = set()
    elsewhere: set[str] = set()

    def walk(node: Any, key: str | None) -> None:
        if isinstance(node, dict):
            get = node.get("Get")
            if len(node) == 1 and isinstance(get, str) and get.startswith("Parameters."):
                (judged if key in _JUDGED_KEYS else elsewhere).add(get.split(".", 1)[1])
                return
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    walk(steps, None)
    return judged - elsewhere


def _secret_name(key: str) -> bool:
    return bool(_SECRET_NAME.search(key)) and not _REFERENCE_NAME.search(key)


def _kept(value: Any) -> bool:
    """Expressions and unknown markers: they name a value without holding it."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (k, v), = value.items()
    return (k == "Get" and isinstance(v, str)) or k == "mlwarden:unknown"


def _unique(found: list[dict]) -> list[dict]:
    seen, out = set(), []
    for f in found:
        sig = (f.get("path"), f.get("line"), f.get("detector"))
        if sig not in seen:
            seen.add(sig)
            out.append(f)
    return sorted(out, key=lambda f: (f["path"], f.get("line") or 0, f["detector"]))
