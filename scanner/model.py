"""The data that flows between the stages: resources, coverage gaps, findings.

Every stage hands the next one plain dataclasses that round-trip through JSON,
so `inventory.json` and `findings.json` can be saved, re-read and re-judged.
"""
from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Status(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"
    WAIVED = "WAIVED"
    NOT_ASSESSED = "NOT_ASSESSED"


class Severity(str, enum.Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used by --fail-on and sorting."""
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(value.lower())
        except ValueError:
            allowed = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {allowed})") from None


_SEVERITY_RANK = {
    Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4,
}


@dataclass(frozen=True, kw_only=True)
class SourceLocation:
    """Where a resource came from: the live account, a template file, a saved inventory."""
    kind: str  # live | cloudformation | terraform | pipeline | inventory
    file: str | None = None
    line: int | None = None
    # The template line of each attribute, by its path in the resource document
    # ("properties.VpcConfig.Subnets.0"), where the loader knows it: a finding points at
    # the attribute its violation names (line_for). Not written out: the lines belong to
    # the template, and a finding carries the one it points at.
    lines: dict[str, int] | None = field(default=None, compare=False, repr=False)

    def line_for(self, path: list | None) -> int | None:
        """The line of the attribute at `path`, else of its closest parent that has one
        (where a missing attribute belongs), else None."""
        if not self.lines or not path:
            return None
        parts = [str(p) for p in path]
        if parts[0] == "tags":          # a template's tags are its Tags property
            parts = ["properties", "Tags"]
        for n in range(len(parts), 0, -1):
            line = self.lines.get(".".join(parts[:n]))
            if line is not None:
                return line
        return None

    def to_dict(self) -> dict:
        # Called for every finding and every input document: dataclasses.asdict (deep
        # copy through reflection) made it a tenth of an evaluation's time.
        return {k: v for k, v in (("kind", self.kind), ("file", self.file), ("line", self.line))
                if v is not None}

    @classmethod
    def from_dict(cls, d: dict) -> "SourceLocation":
        return cls(kind=d.get("kind", "inventory"), file=d.get("file"), line=d.get("line"))


LIVE = SourceLocation(kind="live")


@dataclass(frozen=True, kw_only=True)
class FacetStatus:
    """Whether one facet of a resource (its describe, tags, autoscaling, …) was read.

    A failed facet names the call that failed (`sagemaker:ListTags`) and its error; a
    derived facet (lineage, usage counts) names the inputs it lacked. A policy that
    declares a failed facet is NOT_ASSESSED on that resource; the others still judge it.
    """
    read: bool = True
    operation: str = ""       # the failed call, e.g. "application-autoscaling:DescribeScalableTargets"
    error_code: str = ""      # e.g. "AccessDenied", "ReadLimit"
    message: str = ""
    inputs: tuple[str, ...] = ()   # derived facets: the inputs that were incomplete

    @classmethod
    def failed(cls, operation: str, error_code: str, message: str = "",
               inputs: tuple[str, ...] | list[str] = ()) -> "FacetStatus":
        return cls(read=False, operation=operation, error_code=error_code, message=message,
                   inputs=tuple(inputs))

    @property
    def reason(self) -> str:
        """One line for a NOT_ASSESSED finding: the call, the error, the missing inputs."""
        text = f"{self.operation} failed with {self.error_code}" if self.operation else self.error_code
        if self.message:
            text += f": {self.message}"
        if self.inputs:
            text += f" (incomplete inputs: {'; '.join(self.inputs[:5])}"
            text += f" and {len(self.inputs) - 5} more)" if len(self.inputs) > 5 else ")"
        return text

    def to_dict(self) -> dict:
        if self.read:
            return {"read": True}
        d = {"read": False, "operation": self.operation, "error_code": self.error_code,
             "message": self.message}
        if self.inputs:
            d["inputs"] = list(self.inputs)
        return d

    @classmethod
    def from_dict(cls, d: object) -> "FacetStatus":
        if not isinstance(d, dict):
            raise ValueError("a facet status must be an object like {\"read\": false, \"operation\": ...}")
        if d.get("read", True) is True:
            return cls()
        return cls.failed(str(d.get("operation") or ""), str(d.get("error_code") or "Unknown"),
                          str(d.get("message") or ""), [str(x) for x in d.get("inputs") or []])


READ = FacetStatus()


@dataclass(frozen=True, kw_only=True)
class ResourceRef:
    """The identity of a resource, the one every stage uses: evaluation (request keys),
    merging the parts of a scan, comparison with a previous scan, reports, remediation.

    `key` is its ARN, or `type/account/region/id` for what has none (template resources,
    a coverage gap's "*"). A finding carries it (`resource.key`, findings schema 1.2);
    `key_of` reads it there, and computes it for a file written before 1.2."""
    type: str
    id: str
    arn: str = ""
    account: str = ""
    region: str = ""

    @property
    def key(self) -> str:
        return _key(self.type, self.id, self.arn, self.account, self.region)

    @property
    def match_keys(self) -> frozenset[tuple[str, str]]:
        """(type, ARN or id) and (type, id): how a partial reference (a type and an id, no
        account or region, as a runbook names what it created) is matched to it."""
        return frozenset({(self.type, self.arn or self.id), (self.type, self.id)})

    @classmethod
    def of(cls, d: dict) -> "ResourceRef":
        """From a finding's `resource` (or a finding, or a resource document) as JSON."""
        d = d.get("resource", d) if isinstance(d.get("resource"), dict) else d
        return cls(**{k: "" if d.get(k) is None else str(d.get(k)) for k in ("type", "id", "arn", "account", "region")})

    @staticmethod
    def key_of(d: dict) -> str:
        """The key a finding's `resource` (or a finding) carries; computed for one that has none."""
        d = d.get("resource", d) if isinstance(d.get("resource"), dict) else d
        key = d.get("key")
        return key if isinstance(key, str) and key else ResourceRef.of(d).key

    def to_dict(self) -> dict:
        return {"type": self.type, "id": self.id, "arn": self.arn, "account": self.account,
                "region": self.region, "key": self.key}


def _key(type_: str, id_: str, arn: str, account: str, region: str) -> str:
    # The one definition of the key. `Resource` calls it without building a ResourceRef:
    # evaluation asks for keys and references of every resource and finding.
    return arn or f"{type_}/{account}/{region}/{id_}"


@dataclass(kw_only=True)
class Resource:
    """One canonical resource document (docs/resource-model.md describes it field by field).

    `type` is a CloudFormation type name (or `MLW::…` where none exists); `properties`
    use CloudFormation property names; `facts` are derived values, each recording how it
    was derived; `relations` name other resources by ARN/id and are resolved into
    `input.related` just before evaluation.
    """
    type: str
    id: str
    arn: str
    account: str
    region: str
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, list[str]] = field(default_factory=dict)
    source: SourceLocation = LIVE
    # Read status per facet (docs/resource-model.md, "Facets"). A collected facet not
    # listed was read (a derived one was not derived: evaluate.facet_blocks), or the
    # document predates facets (inventories of mlwarden before 0.x+facets
    # are taken as fully read: they recorded failed reads as coverage gaps instead).
    facets: dict[str, FacetStatus] = field(default_factory=dict)

    def facet(self, name: str) -> FacetStatus:
        return self.facets.get(name, READ)

    def mark_missing(self, name: str, status: FacetStatus) -> None:
        self.facets[name] = status

    @property
    def ident(self) -> ResourceRef:
        return ResourceRef(type=self.type, id=self.id, arn=self.arn, account=self.account, region=self.region)

    @property
    def key(self) -> str:
        """`ResourceRef.key`."""
        return _key(self.type, self.id, self.arn, self.account, self.region)

    def to_dict(self) -> dict:
        return {
            "type": self.type, "id": self.id, "arn": self.arn,
            "account": self.account, "region": self.region,
            "tags": dict(self.tags), "properties": self.properties, "facts": self.facts,
            "relations": self.relations, "source": self.source.to_dict(),
            "facets": {k: v.to_dict() for k, v in self.facets.items()},
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Resource":
        missing = [k for k in ("type", "id") if not d.get(k)]
        if missing:
            raise ValueError(f"resource is missing {', '.join(missing)}")
        expect_types(d, {"type": str, "id": (str, int), "arn": str, "account": (str, int), "region": str,
                         "tags": dict, "properties": dict, "facts": dict, "relations": dict, "source": dict},
                     f"resource {d['id']}")
        tags = d.get("tags") or {}
        return cls(
            type=d["type"], id=str(d["id"]), arn=d.get("arn") or "",
            account=str(d.get("account") or ""), region=d.get("region") or "",
            tags={str(k): "" if v is None else str(v) for k, v in tags.items()},
            properties=d.get("properties") or {}, facts=d.get("facts") or {},
            relations=d.get("relations") or {},
            source=SourceLocation.from_dict(d.get("source") or {"kind": "inventory"}),
            facets=_facets_from(d.get("facets"), d["id"]),
        )

    def ref(self) -> dict:
        """The short form of a resource that a finding carries: its `ResourceRef` with the key,
        and where it came from."""
        return {"type": self.type, "id": self.id, "arn": self.arn, "account": self.account,
                "region": self.region, "key": self.key, "source": self.source.to_dict()}


def _facets_from(raw: object, rid: str) -> dict[str, FacetStatus]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"resource {rid}: facets must be an object")
    try:
        return {str(k): FacetStatus.from_dict(v) for k, v in raw.items()}
    except ValueError as exc:
        raise ValueError(f"resource {rid}: facets: {exc}") from None


@dataclass(kw_only=True)
class CoverageGap:
    """Something the scan could not read. Becomes a NOT_ASSESSED finding, never a pass."""
    resource_type: str
    account: str
    region: str
    operation: str
    error_code: str
    message: str
    resource_id: str = ""  # set when one resource (not the whole type) could not be read

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "CoverageGap":
        if not d.get("resource_type"):
            raise ValueError("coverage gap has no resource_type")
        expect_types(d, {k: str for k in ("resource_type", "account", "region", "operation", "error_code",
                                          "message", "resource_id")}, "coverage gap")
        return cls(**{k: str(d.get(k) or "") for k in (
            "resource_type", "account", "region", "operation", "error_code", "message",
            "resource_id")})


@dataclass(kw_only=True)
class Finding:
    """One (policy, resource) verdict."""
    policy_id: str
    title: str
    severity: Severity
    category: str
    status: Status
    resource: dict
    message: str
    controls: dict[str, list[str]] = field(default_factory=dict)
    remediation: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    waiver: dict | None = None
    # What the policy found wrong, one entry per violation: {"msg", "path"?} where the
    # path names the attribute (["properties", "KmsKeyId"]); empty unless it failed.
    violations: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = {
            "policy_id": self.policy_id, "title": self.title, "severity": self.severity.value,
            "category": self.category, "status": self.status.value, "resource": self.resource,
            "message": self.message, "controls": self.controls, "remediation": self.remediation,
            "evidence": self.evidence,
        }
        if self.violations:
            d["violations"] = self.violations
        if self.waiver is not None:
            d["waiver"] = self.waiver
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        if not isinstance(d, dict):
            raise ValueError("a finding must be an object")
        expect_types(d, {"policy_id": str, "title": str, "category": str, "message": str, "resource": dict,
                         "controls": dict, "remediation": dict, "evidence": dict, "waiver": dict,
                         "violations": list},
                     f"finding {d.get('policy_id')!r}")
        return cls(
            policy_id=d["policy_id"], title=d.get("title", ""),
            severity=Severity.parse(d.get("severity", "info")), category=d.get("category", ""),
            status=Status(d["status"]), resource=d.get("resource") or {},
            message=d.get("message", ""), controls=d.get("controls") or {},
            remediation=d.get("remediation") or {}, evidence=d.get("evidence") or {},
            waiver=d.get("waiver"),
            violations=[v for v in d.get("violations") or [] if isinstance(v, dict) and isinstance(v.get("msg"), str)],
        )


def expect_types(d: dict, types: dict[str, type | tuple], what: str) -> None:
    """Refuse a document field of the wrong JSON type (absent or null is fine): a
    hand-edited or hostile file fails here with a message, not deep in the scanner."""
    for key, wanted in types.items():
        value = d.get(key)
        if value is not None and (not isinstance(value, wanted) or isinstance(value, bool)):
            names = " or ".join(t.__name__ for t in (wanted if isinstance(wanted, tuple) else (wanted,)))
            names = names.replace("dict", "object").replace("str", "string").replace("list", "array")
            raise ValueError(f"{what}: '{key}' must be {names}, not {type(value).__name__}")
