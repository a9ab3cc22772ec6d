"""Interrupts: the command's SIGINT handler removes the files registered as half-written and exits 130 at once;
``handled`` installs it for a block and restores the previous handler. (The command interrupted during start-up
and during a batch, in a real process, is fault 15 of tests/robustness/test_faults.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from vcfkg import interrupt


def test_handled_installs_the_handler_for_the_block_and_restores_the_previous_one() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interrupt.handled():
        assert signal.getsignal(signal.SIGINT) is interrupt.exit_on_interrupt
    assert signal.getsignal(signal.SIGINT) is before


def test_handled_outside_the_main_thread_leaves_signals_alone() -> None:
    seen: list[object] = []

    def block() -> None:
        with interrupt.handled():
            seen.append(signal.getsignal(signal.SIGINT))

    before = signal.getsignal(signal.SIGINT)
    thread = threading.Thread(target=block)
    thread.start()
    thread.join(10)
    assert seen == [before]


def test_remove_on_interrupt_registers_the_path_only_within_its_block(tmp_path: Path) -> None:
    path = str(tmp_path / "half-written")
    with interrupt.remove_on_interrupt(path):
        assert path in interrupt._pending
    assert path not in interrupt._pending


def test_sigint_removes_the_registered_file_and_exits_130(tmp_path: Path) -> None:
    """In a real process: the file being written is gone, the exit code is 130, nothing is printed."""
    half = tmp_path / "out.jsonl.tmp"
    kept = tmp_path / "kept.txt"
    script = (
        "import os, signal, sys, time\n"
        "from vcfkg import interrupt\n"
        f"open({str(half)!r}, 'w').write('partial'); open({str(kept)!r}, 'w').write('kept')\n"
        "with interrupt.handled(), interrupt.remove_on_interrupt(" + repr(str(half)) + "):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(10)\n"
        "print('not interrupted')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False, env=os.environ
    )
    assert (done.returncode, done.stdout, done.stderr) == (interrupt.EXIT_INTERRUPTED, "", "")
    assert not half.exists() and kept.read_text() == "kept"
