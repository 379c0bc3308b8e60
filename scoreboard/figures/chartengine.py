"""A chart engine that outlives one build, for `serve`.

Starting vl_convert's engine costs most of a second in every process that draws, and
after an edit a rebuild usually draws one or two charts a language: that start was the
largest single cost of showing an edit. `serve` starts this process once (running()); the
language processes of its builds hand it the few charts they must draw (draw()) and get
the same SVG text they would have drawn themselves (the same call, the same library).

It is only a shortcut. Without it (a plain build, a process it cannot reach, a reply that
is not an answer) the caller draws locally, so it can never make a build fail or differ.
Many charts at once (a first build) are drawn locally too: each language process draws its
own on its own core, and one shared engine would make them wait for each other.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import secrets
import tempfile
import threading
import time
from multiprocessing.connection import Client, Listener
from pathlib import Path

# Where running() listens and the key a client must know. Forked language processes
# inherit them; not in the environment, where SCOREBOARD_* settings are part of cache keys.
running_engine: dict[str, str | bytes | int] = {}
MOST = 20  # charts drawn through the engine in one request; more are drawn locally


def vega_svg(spec: dict, format_locale: dict) -> str:
    """A compiled Vega spec drawn to SVG: the one drawing call, here and in charts.py."""
    import vl_convert

    return vl_convert.vega_to_svg(spec, format_locale=format_locale, allowed_base_urls=[])


def draw(requests: list[tuple[dict, dict]]) -> list[str] | None:
    """SVG text for each (spec, format locale), drawn by the running engine; None when there
    is none to ask, there are more than MOST, or it does not answer (draw them locally).
    An empty list asks whether it answers: [] when it does."""
    if not running_engine or len(requests) > MOST:
        return None
    try:
        with Client(running_engine["address"], authkey=running_engine["key"]) as connection:
            connection.send(requests)
            answer = connection.recv()
    except (OSError, EOFError, ValueError, multiprocessing.AuthenticationError):
        return None
    if type(answer) is not list or len(answer) != len(requests) or not all(type(svg) is str for svg in answer):
        return None  # an error, or not this protocol
    return answer


def wait_until_answering(seconds: float) -> bool:
    """Whether the running engine answers within `seconds` (for a benchmark or test that must
    not time its start)."""
    deadline = time.monotonic() + seconds
    while draw([]) != []:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@contextlib.contextmanager
def running():
    """Start the engine in a process of its own (spawned: this process keeps forking its
    builds) and make draw() ask it while the block runs; stop it after. Nothing waits
    for it: until it listens, builds draw locally; until its engine has started, a build
    that asks waits for it, as it would for its own."""
    with tempfile.TemporaryDirectory(prefix="scoreboard-charts-") as folder:
        if os.name == "posix":
            address = str(Path(folder) / "engine")  # in a folder only this user can enter
        else:
            address = rf"\\.\pipe\scoreboard-charts-{secrets.token_hex(16)}"
        key = secrets.token_bytes(32)
        process = multiprocessing.get_context("spawn").Process(target=_serve, args=(address, key), daemon=True)
        process.start()
        running_engine.update(address=address, key=key, pid=process.pid)
        try:
            yield
        finally:
            running_engine.clear()
            process.kill()
            process.join(5)


def _serve(address: str, key: bytes) -> None:
    """The engine process: start the engine, then answer one request a connection, until
    the process that started it ends (even killed, when it cannot stop this one)."""
    parent = multiprocessing.parent_process()
    threading.Thread(target=lambda: (parent.join(), os._exit(0)), daemon=True).start()
    with Listener(address, authkey=key) as listener:
        vega_svg({"marks": []}, {})  # starts the engine before the first edit needs it
        while True:
            try:
                with listener.accept() as connection:
                    requests = connection.recv()
                    try:
                        answer = [vega_svg(spec, locale) for spec, locale in requests]
                    except Exception as exc:  # noqa: BLE001 - the client draws it again and sees the error
                        answer = f"error: {exc}"
                    connection.send(answer)
            except (OSError, EOFError, multiprocessing.AuthenticationError):
                continue  # a client that went away or did not know the key
