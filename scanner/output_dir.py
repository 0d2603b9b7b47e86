"""The output directory of a run: checked and locked before any AWS call, written in
one step at the end.

A run renders everything into a staging directory inside `--out`, then moves each
file into place with an atomic rename, `manifest.json` last. Files an earlier run
listed in its manifest and this run did not write (a `findings.sarif` from a scan
with more formats) are removed, so the directory never mixes two runs: the manifest
is the truth. Files no manifest ever listed (the user's own) are left alone.

Staging inside `--out` (not beside it) keeps the renames on one file system even
when `--out` is a mounted volume whose parent is read-only or another device.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from .errors import InputError

try:  # POSIX advisory locks; released by the kernel if the process dies
    import fcntl
except ImportError:  # pragma: no cover - Windows: an exclusive-create lock file instead
    fcntl = None

LOCK_NAME = ".mlwarden.lock"
STAGING_PREFIX = ".mlwarden-staging-"
MANIFEST = "manifest.json"
TIMESTAMP = "{timestamp}"
_PATTERN = re.compile(r"\{[^}]*\}")


def expand(out: Path, now: dt.datetime | None = None) -> Path:
    """`out/{timestamp}` → `out/20261201T230500Z`: a folder per run, like Prowler's."""
    text = str(out)
    unknown = [m for m in _PATTERN.findall(text) if m != TIMESTAMP]
    if unknown:
        raise InputError(f"--out {out}: unknown pattern {unknown[0]} (only {TIMESTAMP} is replaced)")
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    return Path(text.replace(TIMESTAMP, stamp))


def check_writable_dir(path: Path, option: str = "--out") -> None:
    """Fail with one line, before any work, if `path` cannot become a writable directory."""
    if path.exists() and not path.is_dir():
        raise InputError(f"{option} {path}: is a file, not a directory")
    ancestor = path
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError(f"{option} {path}: {ancestor} is a file, not a directory")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise InputError(f"{option} {path}: {ancestor} is not writable")


class OutputDir:
    """`with OutputDir.open(out) as od:` write into `od.staging`, then `od.publish()`."""

    def __init__(self, final: Path, created: bool):
        self.final = final
        self._created = created
        self._lock_fd: int | None = None
        self.staging: Path | None = None
        self.published = False
        self._closing = threading.Lock()   # close() may also run from the Ctrl-C timer

    @classmethod
    def open(cls, out: Path, *, option: str = "--out") -> "OutputDir":
        final = expand(out)
        check_writable_dir(final, option)
        created = not final.exists()
        try:
            final.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{option} {final}: cannot create it: {exc.strerror or exc}") from None
        od = cls(final, created)
        od._lock_fd = _lock(final / LOCK_NAME, f"{option} {final}")
        for stale in final.glob(STAGING_PREFIX + "*"):   # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        try:
            od.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=final))
        except OSError as exc:
            od.close()
            raise InputError(f"{option} {final}: cannot write there: {exc.strerror or exc}") from None
        return od

    def __enter__(self) -> "OutputDir":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def publish(self) -> dict[str, Path]:
        """Move the staged files into place (manifest last); remove what an earlier
        run's manifest listed and this run did not write. Returns name → final path."""
        assert self.staging is not None and not self.published
        earlier = _manifest_files(self.final / MANIFEST)
        names = sorted(p.name for p in self.staging.iterdir() if p.is_file())
        ordered = [n for n in names if n != MANIFEST] + ([MANIFEST] if MANIFEST in names else [])
        for name in ordered:
            os.replace(self.staging / name, self.final / name)
        for name in sorted(earlier - set(names)):
            stale = self.final / name
            if name == Path(name).name and not name.startswith(".") and stale.is_file():
                stale.unlink()
        self.published = True
        return {name: self.final / name for name in ordered}

    def close(self) -> None:
        with self._closing:
            self._close()

    def _close(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._lock_fd is not None:
            _unlock(self._lock_fd, self.final / LOCK_NAME)
            self._lock_fd = None
        if self._created and not self.published:
            try:  # a run that published nothing leaves no empty directory behind
                self.final.rmdir()
            except OSError:
                pass


def _manifest_files(path: Path) -> set[str]:
    try:
        doc = json.loads(path.read_text())
        return {str(n) for n in (doc.get("files") or {})} | {MANIFEST}
    except (OSError, ValueError, AttributeError):
        return set()


def _lock(path: Path, where: str) -> int:
    if fcntl is None:  # pragma: no cover
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise InputError(f"{where}: another mlwarden run is writing there "
                             f"(or one was killed: remove {path})") from None
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise InputError(f"{where}: another mlwarden run (pid {holder}) is writing there; "
                             "wait for it or choose another --out") from None
        # The run before us may have removed the file between our open and our lock:
        # then we hold a lock nobody else can see; take the one on the path instead.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)


def _unlock(fd: int, path: Path) -> None:
    try:
        path.unlink()   # before unlocking: a waiting run then re-checks the path (see _lock)
    except FileNotFoundError:
        pass
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def write_file_atomically(path: Path, data: bytes) -> None:
    """One file (`mlwarden inventory --out FILE`): a temporary file beside it, renamed."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
