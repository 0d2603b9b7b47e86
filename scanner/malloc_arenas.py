"""Fewer glibc malloc arenas for a live scan's many threads.

glibc gives each thread that allocates concurrently an arena of its own, up to eight
per core; a scan reads AWS from about thirty threads at once (collectors and their item
workers), each parsing answers into buffers too large for Python's own allocator, so
the answers' memory is spread over many arenas, each holding free fragments the others
cannot reuse. Measured on the simulated 3,490-resource account
(benchmarks/scan_memory_phases.py): 20 MB more resident memory at the end of collection
than with two arenas, for no measurable difference in wall time (the threads spend their
time waiting on the network, not in malloc).

An explicit MALLOC_ARENA_MAX in the environment wins; elsewhere than glibc nothing is done.
"""
from __future__ import annotations

import ctypes
import os
import sys

M_ARENA_MAX = -8   # malloc.h
ARENAS = 2

_done = False


def limit() -> None:
    global _done
    if _done or not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return
    _done = True
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version   # glibc only: musl has no arenas to limit
        libc.mallopt(M_ARENA_MAX, ARENAS)
    except (OSError, AttributeError):
        pass
