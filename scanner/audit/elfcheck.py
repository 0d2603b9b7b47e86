"""Will every native library in a package load on the Lambda runtime? Reads each
shared object's ELF header (architecture) and its version-needs section (the
GLIBC_x.y symbol versions it requires), and each CPython extension module's ABI tag.

The dynamic loader refuses a library that needs a symbol version its libc does not
define, and CPython refuses an extension built for another interpreter; both only
show when the function first imports the module, so the package is checked here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection

from .runtime import LambdaRuntime

# What any Lambda runtime's base image provides besides the package itself: glibc's
# libraries and GCC's runtime (the manylinux policy's allow-list, less X11 and the like).
SYSTEM_LIBRARIES = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                    "libutil.so.1", "libgcc_s.so.1", "libstdc++.so.6", "libz.so.1",
                    "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
ELF_MACHINE = {"x86_64": "EM_X86_64", "aarch64": "EM_AARCH64"}
_GLIBC = re.compile(r"^GLIBC_(\d+)\.(\d+)(?:\.\d+)?$")
# CPython extension suffixes: name.cpython-312-x86_64-linux-gnu.so, name.abi3.so
_EXT_TAG = re.compile(r"\.(cpython-(\d+)-([a-z0-9_]+)-linux-gnu|abi3)\.so$")


@dataclass(frozen=True, kw_only=True)
class SharedObject:
    path: str
    machine: str
    glibc: tuple[int, int] | None  # the newest GLIBC version it needs (None: no libc symbols)
    needed: tuple[str, ...] = ()   # the libraries the loader must find (DT_NEEDED)


def is_shared_object(path: Path) -> bool:
    name = path.name
    return path.is_file() and (name.endswith(".so") or ".so." in name)


def read(path: Path, root: Path) -> SharedObject:
    with path.open("rb") as fh:
        elf = ELFFile(fh)
        needed, libraries = [], []
        for section in elf.iter_sections():
            if isinstance(section, DynamicSection):
                libraries += [t.needed for t in section.iter_tags() if t.entry.d_tag == "DT_NEEDED"]
            if isinstance(section, GNUVerNeedSection):
                for _lib, aux in section.iter_versions():
                    for version in aux:
                        m = _GLIBC.match(version.name)
                        if m:
                            needed.append((int(m[1]), int(m[2])))
        return SharedObject(path=path.relative_to(root).as_posix(), machine=elf["e_machine"],
                            glibc=max(needed) if needed else None, needed=tuple(libraries))


def shared_objects(root: Path) -> list[SharedObject]:
    return [read(p, root) for p in sorted(root.rglob("*.so*")) if is_shared_object(p)]


def problems(obj: SharedObject, runtime: LambdaRuntime,
             bundled: frozenset[str] = frozenset()) -> list[str]:
    out = [f"{obj.path}: needs {lib}, which neither the runtime nor the package provides"
           for lib in obj.needed if lib not in SYSTEM_LIBRARIES and lib not in bundled]
    if obj.machine != ELF_MACHINE[runtime.machine]:
        out.append(f"{obj.path}: built for {obj.machine}, the runtime is {runtime.machine}")
    if obj.glibc and obj.glibc > runtime.glibc:
        out.append(f"{obj.path}: needs GLIBC_{obj.glibc[0]}.{obj.glibc[1]}, "
                   f"the runtime has {runtime.glibc[0]}.{runtime.glibc[1]}")
    tag = _EXT_TAG.search(obj.path)
    if tag and tag[2] and (f"cp{tag[2]}" != runtime.abi or tag[3] != runtime.machine):
        out.append(f"{obj.path}: a CPython extension for cp{tag[2]} {tag[3]}, "
                   f"the runtime is {runtime.abi} {runtime.machine}")
    return out


def check_tree(root: Path, runtime: LambdaRuntime) -> list[str]:
    """Every reason a shared object under `root` would not load on `runtime`."""
    objects = shared_objects(root)
    bundled = frozenset(Path(o.path).name for o in objects)  # e.g. a wheel's own `.libs`
    return [p for obj in objects for p in problems(obj, runtime, bundled)]
