"""Loading policies: the shipped library plus any `--policies DIR` a team adds.

A policy file is a Rego module with a package METADATA block and a `deny` rule.
Helper modules without metadata (shared functions under `lib/`) are loaded too,
and test files (`*_test.rego`) are left out of evaluation.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ..jsonload import read_text
from .metadata import ParsedModule, PolicyMetadata, parse_module


@dataclass(frozen=True, kw_only=True)
class Policy:
    """One evaluable policy: its module, metadata and the rule names it defines."""
    metadata: PolicyMetadata
    package: str
    path: Path
    source: str
    has_applies: bool   # defines `applies`: false means not applicable (no finding)

    @property
    def id(self) -> str:
        return self.metadata.id

    @property
    def entrypoint(self) -> str:
        return self.package.replace(".", "/") + "/deny"


@dataclass(frozen=True, kw_only=True)
class Module:
    """A helper module (no METADATA): shared functions policies import."""
    package: str
    path: Path
    source: str


@dataclass
class PolicySet:
    policies: list[Policy]
    modules: list[Module]

    def by_id(self) -> dict[str, Policy]:
        return {p.id: p for p in self.policies}

    def for_type(self, resource_type: str) -> list[Policy]:
        return [p for p in self.policies if resource_type in p.metadata.resource_types]

    @property
    def types(self) -> set[str]:
        return {t for p in self.policies for t in p.metadata.resource_types}


def shipped_policy_dir() -> Path:
    return Path(str(resources.files("mlwarden.policies")))


def rego_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.rego") if not p.name.endswith("_test.rego"))


def load_policies(extra_dirs: Iterable[Path] = (), *, include_shipped: bool = True) -> PolicySet:
    dirs = ([shipped_policy_dir()] if include_shipped else []) + [Path(d) for d in extra_dirs]
    policies: list[Policy] = []
    modules: list[Module] = []
    seen_ids: dict[str, Path] = {}
    seen_packages: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            raise InputError(f"--policies: {d} is not a directory")
        for path in rego_files(d):
            source = read_text(path, "policy file")
            parsed: ParsedModule = parse_module(path, source, require_metadata=False)
            if parsed.package in seen_packages:
                raise InputError(f"{path}:{parsed.package_line}: package {parsed.package} "
                                 f"is already defined in {seen_packages[parsed.package]}")
            seen_packages[parsed.package] = path
            if parsed.metadata is None:
                if "deny" in parsed.rules:
                    raise InputError(f"{path}:{parsed.package_line}: policy defines 'deny' but has "
                                     "no '# METADATA' block before 'package'")
                modules.append(Module(package=parsed.package, path=path, source=source))
                continue
            if "deny" not in parsed.rules:
                raise InputError(f"{path}:{parsed.package_line}: policy {parsed.metadata.id} "
                                 "defines no 'deny' rule")
            pid = parsed.metadata.id
            if pid in seen_ids:
                raise InputError(f"{path}:{parsed.package_line}: policy id {pid} is already "
                                 f"used by {seen_ids[pid]}")
            seen_ids[pid] = path
            policies.append(Policy(metadata=parsed.metadata, package=parsed.package, path=path,
                                   source=source, has_applies="applies" in parsed.rules))
    return PolicySet(policies=policies, modules=modules)
