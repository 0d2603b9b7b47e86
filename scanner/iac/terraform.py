"""Terraform plans (`terraform show -json plan.out`) → canonical resources.

Each managed resource in `planned_values` (root module and child modules) of a type
known to `types()` (scanner/iac/terraform_types.py: the descriptors' Terraform names
and the split-off settings) becomes a CloudFormation-shaped document, its attributes
translated there.

Values "known after apply" (`resource_changes[].change.after_unknown`) become unknown
markers — unless the configuration shows they come from another resource of the
same plan (`kms_key_id = aws_kms_key.k.arn`): then, as with CloudFormation's
`!GetAtt Key.Arn`, the value is that resource's synthetic ARN `tf://<file>#<address>`,
and relations resolve to it.

Terraform splits S3 bucket settings, IAM attachments and security group rules into
resources of their own; they are given types that normalise.py folds into their
target (`aws_s3_bucket_policy` → the bucket's PolicyDocument, and so on).
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from ..errors import InputError
from ..model import Resource, SourceLocation
from .synthetic import TERRAFORM, synthetic_arn
from .terraform_types import convert, types
from .unknown import is_unknown, unknown

# Attributes that name the referenced resource itself; `aws_subnet.a.vpc_id` does not.
_IDENTITY_ATTR = re.compile(r"^(arn|id|name|bucket|key_id|unique_id)$")
_INDEX = re.compile(r"\[[^\]]*\]")


def looks_like_plan(doc: Any) -> bool:
    return isinstance(doc, dict) and "format_version" in doc and (
        "planned_values" in doc or "resource_changes" in doc)


# Attributes holding the resource's own name, used as its id when known.
_NAME_ATTRS = ("name", "bucket", "domain_name", "model_package_group_name")


# --- plan walking -------------------------------------------------------------------------

def _planned(module: dict) -> list[dict]:
    out = list(module.get("resources") or [])
    for child in module.get("child_modules") or []:
        out.extend(_planned(child))
    return out


def _config_resources(module: dict, prefix: str = "") -> dict[str, tuple[str, dict]]:
    """Config address (without instance index) → (module prefix, expressions)."""
    out: dict[str, tuple[str, dict]] = {}
    for r in module.get("resources") or []:
        out[prefix + r["address"]] = (prefix, r.get("expressions") or {})
    for name, call in (module.get("module_calls") or {}).items():
        out.update(_config_resources(call.get("module") or {}, f"{prefix}module.{name}."))
    return out


class _Plan:
    def __init__(self, doc: dict, display: str):
        self.display = display
        self.planned = {r["address"]: r for r in _planned((doc.get("planned_values") or {}).get("root_module") or {})
                        if r.get("mode", "managed") == "managed"}
        self.changes = {c["address"]: c.get("change") or {} for c in doc.get("resource_changes") or []}
        self.config = _config_resources((doc.get("configuration") or {}).get("root_module") or {})

    def target(self, reference: str, prefix: str) -> str | None:
        """`aws_kms_key.k.arn` (inside module prefix) → the planned address it names."""
        if reference.startswith(("var.", "local.", "data.", "module.", "each.", "count.", "path.")):
            return None
        parts = reference.split(".")
        if len(parts) < 3:
            return None
        address = prefix + ".".join(parts[:2])
        if address in self.planned:
            return address
        instances = [a for a in self.planned if _INDEX.sub("", a) == _INDEX.sub("", address)]
        return instances[0] if len(instances) == 1 else None

    def values(self, address: str) -> dict:
        r = self.planned[address]
        values = json.loads(json.dumps(r.get("values") or {}))
        after_unknown = self.changes.get(address, {}).get("after_unknown") or {}
        prefix, expressions = self.config.get(_INDEX.sub("", address), ("", {}))
        return _apply_unknown(values, after_unknown, expressions, lambda ref: self._ref(ref, prefix), address)

    def _ref(self, references: list[str], prefix: str) -> Any:
        for ref in references:
            target = self.target(ref, prefix)
            if target is not None:
                attr = ref.split(".")[2] if len(ref.split(".")) > 2 else ""
                attr = _INDEX.sub("", attr)
                if _IDENTITY_ATTR.match(attr):
                    return synthetic_arn(TERRAFORM, self.display, target)
                known = (self.planned[target].get("values") or {}).get(attr)
                if known is not None and attr not in (self.changes.get(target, {}).get("after_unknown") or {}):
                    return known   # an attribute the plan already knows (a subnet's vpc_id)
                return unknown(f"{ref}: known after apply")
        if references:
            return unknown(f"{references[0]}: known after apply")
        return None


def _plural(attr: str) -> bool:
    return attr.endswith(("_ids", "groups", "subnets", "_arns", "s")) and not attr.endswith(
        ("ss", "status", "_access", "address"))


def _apply_unknown(values: Any, after_unknown: Any, expressions: Any, ref: Callable, where: str) -> Any:
    """Put unknown markers (or references to planned resources) where after_unknown says."""
    if after_unknown is True:
        refs = expressions.get("references") if isinstance(expressions, dict) else None
        resolved = ref(refs) if refs else None
        if resolved is None:
            return unknown(f"{where}: known after apply")
        # `security_groups = [aws_security_group.nb.id]`: a list attribute holding the
        # reference. The plan does not give attribute types; plural names are lists.
        if isinstance(resolved, str) and _plural(where.rsplit(".", 1)[-1]):
            return [resolved]
        return resolved
    if isinstance(after_unknown, dict):
        values = values if isinstance(values, dict) else {}
        exprs = expressions if isinstance(expressions, dict) else {}
        for k, au in after_unknown.items():
            if au is False or au == [] or au == {}:
                continue
            values[k] = _apply_unknown(values.get(k), au, exprs.get(k), ref, f"{where}.{k}")
        return values
    if isinstance(after_unknown, list):
        values = values if isinstance(values, list) else []
        exprs = expressions if isinstance(expressions, list) else []
        for i, au in enumerate(after_unknown):
            if au is False or au == [] or au == {}:
                continue
            while len(values) <= i:
                values.append(None)
            values[i] = _apply_unknown(values[i], au, exprs[i] if i < len(exprs) else None, ref,
                                       f"{where}[{i}]")
        return values
    return values


def load_plan(doc: dict, display: str, *, account: str = "", region: str = "") -> list[Resource]:
    if not looks_like_plan(doc):
        raise InputError(f"{display}:1: not a Terraform plan (no format_version/planned_values); "
                         "produce it with `terraform show -json plan.out`")
    plan = _Plan(doc, display)
    out = []
    known = types()
    for address, r in plan.planned.items():
        spec = known.get(r.get("type", ""))
        if spec is None:
            continue
        values = plan.values(address)
        props = spec.build(values) if spec.build else convert(values, spec.translation)
        props = {k: v for k, v in props.items() if v is not None}
        tags = values.get("tags_all") if isinstance(values.get("tags_all"), dict) else values.get("tags")
        if isinstance(tags, dict) and tags:
            props["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        out.append(Resource(
            type=spec.cfn_type, id=address, arn=synthetic_arn(TERRAFORM, display, address), account=account,
            region=region, properties=props, facts={"terraform_address": address},
            source=SourceLocation(kind="terraform", file=display)))
    return out
