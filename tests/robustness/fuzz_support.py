"""Support for the robustness suite: the command in a real process, a misbehaving SPARQL server on loopback,
and the two hypothesis profiles (a short one for every run, a long one under ``-m long`` for the figures)."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

SHORT_EXAMPLES = int(os.environ.get("VCFKG_FUZZ_SHORT", "25"))
LONG_EXAMPLES = int(os.environ.get("VCFKG_FUZZ_LONG", "10000"))
PROFILES = {
    "short": settings(
        max_examples=SHORT_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    ),
    "long": settings(max_examples=LONG_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)),
}
PROFILE_PARAMS = ["short", pytest.param("long", marks=pytest.mark.long)]
REPORT = os.environ.get("VCFKG_FUZZ_REPORT")  # where the figures script collects inputs tried per surface


class Tally:
    """Counts the inputs one surface was tried with (and the failures, which fail the test), for the figures."""

    def __init__(self, surface: str, profile: str) -> None:
        self.surface, self.profile, self.tried, self.errors = surface, profile, 0, 0

    def __enter__(self) -> Tally:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if REPORT:
            with open(REPORT, "a", encoding="utf-8") as out:
                failed = 0 if kind is None else 1
                record = {"surface": self.surface, "profile": self.profile, "tried": self.tried, "failed": failed}
                out.write(json.dumps(record) + "\n")


def vcfkg(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 120, **kw: Any
) -> subprocess.CompletedProcess[bytes]:
    """``python -m vcfkg ARGS`` in a real process (standard streams are real files, signals are real)."""
    return subprocess.run(
        [sys.executable, "-m", "vcfkg", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
        **kw,
    )


def one_line_error(err: bytes | str) -> str:
    """The single error line of a failed command (asserting there is exactly one, without a traceback)."""
    text = err.decode("utf-8", "replace") if isinstance(err, bytes) else err
    assert text.count("\n") == 1 and text.startswith("vcfkg: "), text[:2000]
    assert "Traceback" not in text
    assert all(c.isprintable() for c in text[:-1]), text
    return text


@dataclass
class Reply:
    """What the stub server answers: a status, headers, a body, optionally trickled one piece at a time."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/sparql-results+json"})
    body: bytes = b""
    trickle: float = 0.0  # seconds between single bytes of the body
    raw: bytes | None = None  # sent as is, instead of a proper HTTP response
    repeat: int = 1  # the body sent this many times (a large answer without holding it in memory)


class Stub:
    """A SPARQL 'server' on loopback whose answer each test sets in ``reply``."""

    def __init__(self) -> None:
        self.reply = Reply()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                reply = stub.reply
                try:
                    if reply.raw is not None:
                        self.wfile.write(reply.raw)
                        return
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.trickle:
                        for byte in reply.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        for _ in range(reply.repeat):
                            self.wfile.write(reply.body)
                except OSError:  # the client gave up
                    pass

            do_GET = do_POST

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
