"""Interrupts end the command line tool at once with exit code 130 and no traceback, even during start-up.

Python's default turns SIGINT into a ``KeyboardInterrupt`` raised wherever the program happens to be, which
prints a traceback and, inside the start-up of a C extension (``import orjson``), can even crash the process.
The command installs :func:`exit_on_interrupt` before importing anything else: it removes the files registered
with :func:`remove_on_interrupt` (half-written outputs) and leaves with ``os._exit(130)``. The library itself
never touches signals.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

EXIT_INTERRUPTED = 130
_pending: list[str] = []


def exit_on_interrupt(signum: int = signal.SIGINT, frame: FrameType | None = None) -> None:
    """The SIGINT handler: remove the registered files, then exit 130 without running Python's shutdown."""
    for path in _pending:
        with suppress(OSError):
            os.unlink(path)
    os._exit(EXIT_INTERRUPTED)


@contextmanager
def remove_on_interrupt(path: str) -> Iterator[None]:
    """Within the block, an interrupt removes ``path`` before exiting."""
    _pending.append(path)
    try:
        yield
    finally:
        _pending.remove(path)


@contextmanager
def handled() -> Iterator[None]:
    """Within the block, SIGINT exits 130 at once (in the main thread only; elsewhere it is left alone)."""
    previous = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, exit_on_interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


def main() -> int:
    """The ``vcfkg`` command's entry point: the interrupt handler first, then the command line."""
    signal.signal(signal.SIGINT, exit_on_interrupt)
    from vcfkg.cli import main as cli_main

    return cli_main()
