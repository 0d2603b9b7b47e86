"""Ctrl-C that always ends the run, promptly, with exit code 130 and no half-written output.

The first Ctrl-C raises KeyboardInterrupt as usual, so `with` blocks clean up. A
collection waits for its worker threads before that exception can leave the thread
pool, though, and a hung call could keep it waiting; so the first Ctrl-C also arms a
short timer, and a second Ctrl-C or the timer runs the registered clean-ups (release
the output lock, remove the staging directory) and ends the process at once.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

from .gate import EXIT_INTERRUPTED

GRACE_SECONDS = 5.0
MESSAGE = "mlwarden: interrupted; nothing was published to --out"

_cleanups: list[Callable[[], None]] = []
_state: dict = {"count": 0, "timer": None}


def on_interrupt(fn: Callable[[], None]) -> None:
    """Register a clean-up to run if the process must end without unwinding."""
    _cleanups.append(fn)


def _hard_exit() -> None:
    for fn in reversed(_cleanups):
        try:
            fn()
        except Exception:  # ending anyway: a clean-up that fails must not keep us alive
            pass
    try:
        sys.stderr.write(MESSAGE + "\n")
        sys.stderr.flush()
    finally:
        os._exit(EXIT_INTERRUPTED)


def _handler(signum, frame) -> None:
    _state["count"] += 1
    if _state["count"] > 1:
        _hard_exit()
    timer = threading.Timer(GRACE_SECONDS, _hard_exit)
    timer.daemon = True
    timer.start()
    _state["timer"] = timer
    raise KeyboardInterrupt


@contextmanager
def handled() -> Iterator[None]:
    """Install the handler for the duration (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _handler)
    try:
        yield
    finally:
        # Unwound in time: the clean-ups ran on the way out, the timer is not needed.
        if _state["timer"] is not None:
            _state["timer"].cancel()
        signal.signal(signal.SIGINT, previous)
        _cleanups.clear()
        _state.update(count=0, timer=None)
