"""Build the Lambda deployment package: mlwarden and the distributions it needs,
taken from the installed environment (the same code that runs the CLI).

boto3/botocore come with the Lambda Python runtime and are left out, which keeps
the package well inside Lambda's limits (50 MB zipped upload, 250 MB unzipped).
"""
from __future__ import annotations

import importlib.metadata as md
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mlwarden import __file__ as _pkg_file

# Provided by the Lambda runtime, or only used outside Lambda.
EXCLUDED = {"boto3", "botocore", "s3transfer", "jmespath", "urllib3", "python-dateutil", "six",
            "mlwarden", "opa-python-client", "setuptools", "pip", "wheel"}
LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024


@dataclass(frozen=True)
class Package:
    data: bytes
    zipped_size: int
    unzipped_size: int
    files: int
    distributions: tuple[str, ...]

    def check_limits(self) -> None:
        if self.zipped_size > LAMBDA_ZIP_LIMIT or self.unzipped_size > LAMBDA_UNZIPPED_LIMIT:
            raise ValueError(f"Lambda package too large: {self.zipped_size} bytes zipped, "
                             f"{self.unzipped_size} unzipped")


def _requirements(dist: str) -> list[str]:
    out = []
    for req in md.requires(dist) or []:
        if "extra ==" in req:
            continue
        out.append(re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0])
    return out


def _closure(roots: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    stack = list(roots)
    while stack:
        name = stack.pop()
        key = name.lower().replace("_", "-")
        if key in seen or key in EXCLUDED:
            continue
        try:
            md.distribution(name)
        except md.PackageNotFoundError:
            continue
        seen[key] = None
        stack.extend(_requirements(name))
    return sorted(seen)


def build_package() -> Package:
    dists = _closure(_requirements("mlwarden"))
    buf = io.BytesIO()
    unzipped = 0
    count = 0
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        # mlwarden itself, laid out as the installed package (scanner/ → mlwarden/ …)
        import mlwarden
        roots = {"mlwarden": Path(_pkg_file).parent}
        for sub in ("reports", "remediations", "policies"):
            mod = __import__(f"mlwarden.{sub}", fromlist=["_"])
            roots[f"mlwarden/{sub}"] = Path(mod.__file__).parent
        for arc_root, src in roots.items():
            for path in sorted(src.rglob("*")):
                if path.is_dir() or "__pycache__" in path.parts or path.name.endswith("_test.rego"):
                    continue
                rel = path.relative_to(src)
                if arc_root == "mlwarden" and rel.parts[0] in ("reports", "remediations", "policies"):
                    continue
                data = path.read_bytes()
                zf.writestr(f"{arc_root}/{rel.as_posix()}", data)
                unzipped += len(data)
                count += 1
        del mlwarden
        for dist in dists:
            d = md.distribution(dist)
            for f in d.files or []:
                if "__pycache__" in f.parts or f.parts[0].endswith(".dist-info") and f.name == "RECORD":
                    continue
                src = Path(d.locate_file(f))
                if not src.is_file() or f.parts[0] == ".." or str(f).startswith("bin/"):
                    continue
                data = src.read_bytes()
                zf.writestr(f.as_posix(), data)
                unzipped += len(data)
                count += 1
    data = buf.getvalue()
    return Package(data=data, zipped_size=len(data), unzipped_size=unzipped, files=count,
                   distributions=tuple(dists))
