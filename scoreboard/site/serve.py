"""The preview: build, serve site/ on this machine, and build again when a watched file
changes (watchdog, which MkDocs itself uses); open pages reload themselves after a rebuild.
The pages are published before the search index is remade, so an edit shows a couple of
seconds sooner; the index follows (search.replace_index).

Served pages get a small reload script added on the way out (the built files are not
changed). A failed rebuild keeps the last good site. The server answers only on
127.0.0.1, serves only files of the site (never a folder listing) and never redirects to
another host.
"""

from __future__ import annotations

import http.server
import posixpath
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from scoreboard.site import build as site_build
from scoreboard.site import publish

RELOAD_SCRIPT = (
    "<script>(function(){var v=null;setInterval(function(){fetch('/__build').then(function(r){return r.text()})"
    ".then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},1000)})();</script>"
)
WATCHED = (
    "data",
    "site_src/pages",
    "site_src/partials",
    "site_src/assets",
    "site_src/overrides",
    "scoreboard",
    "mkdocs.yml",
    "mkdocs.en.yml",
)
QUIET = 0.3  # seconds without a change before a rebuild starts: one rebuild for a burst of saves


class PreviewServer(http.server.ThreadingHTTPServer):
    """The preview's HTTP server. A browser that stops loading a page (a reload, a closed tab)
    drops its connection while files are still being sent: that is no error, and printing a
    traceback for it would only alarm whoever is editing."""

    request_queue_size = 128  # many tabs or a link checker at once: connections wait, none is refused
    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):  # broken pipe, connection reset
            return
        super().handle_error(request, client_address)


def handler(site_dir: Path, state: dict):
    """A request handler serving site_dir's files (site/ is a link each build replaces)."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes, content_type: str, location: str | None = None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if location is not None:
                self.send_header("Location", location)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def list_directory(self, path):  # never a listing of the site's folders
            self.send_error(404, "Not found")
            return None

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            raw, _, query = self.path.partition("?")
            if raw == "/__build":
                return self._send(200, str(state["build"]).encode(), "text/plain")
            location = local_path(raw)
            if location is None:
                return self._send(404, b"Not found", "text/plain")
            path = Path(self.translate_path(location))
            if path.is_dir():
                if not location.endswith("/"):  # /en -> /en/, as a web server does
                    return self._send(301, b"", "text/plain", location + "/" + ("?" + query if query else ""))
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>")
                return self._send(200, body, "text/html; charset=utf-8")
            return super().do_GET()

    return Handler


def local_path(raw: str) -> str | None:
    """The request's path as a path on this server, or None when it is not one: a
    backslash, an encoded slash, or a path that climbs out of the site. The result always
    starts with one slash, so a redirect to it can never name another host."""
    path = urllib.parse.unquote(raw)
    if "\\" in path or "\0" in path or not path.startswith("/"):
        return None
    normal = posixpath.normpath(path)
    if normal.startswith("//") or ".." in normal.split("/"):
        return None
    trailing = "/" if path.endswith("/") and normal != "/" else ""
    return urllib.parse.quote(normal + trailing)


# What changes a file. watchdog also reports files being opened and read (the build reads
# every watched file), and each build would otherwise start the next one.
CHANGES = {EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_DELETED, EVENT_TYPE_CLOSED}


class _Changes(FileSystemEventHandler):
    """Notes when a watched file changes (WATCHED, under root; compiled Python aside)."""

    def __init__(self, root: Path):
        self.watched = [root / name for name in WATCHED]
        self.changed_at = 0.0

    def on_any_event(self, event):
        if event.event_type not in CHANGES:
            return
        for name in (event.src_path, getattr(event, "dest_path", "")):
            path = Path(str(name))
            if not name or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            if any(path == w or w in path.parents for w in self.watched):
                self.changed_at = time.monotonic()


def serve(root: Path, port: int = 8000) -> None:
    """Build, serve site/ on http://127.0.0.1:port/ and rebuild when data, pages or code
    change. The server starts before the first build (a taken port fails at once)."""
    state = {"build": 0}
    site_dir = root / "site"

    def rebuild() -> None:
        try:
            for p in site_build.build(root, search_later=True):
                print(p.text())
            state["build"] += 1  # open pages reload now; the search catches up a moment later
            print(f"built site/ (#{state['build']}); serving {address}", flush=True)
            site_build.refresh_search(root)
            print("search index updated", flush=True)
        except site_build.BuildError as exc:
            for p in exc.args[0]:
                print(p.text())
            print("build failed; still serving the previous site", flush=True)
        except OSError as exc:
            print(publish.describe_os_error(exc), flush=True)
            print("build failed; still serving the previous site", flush=True)

    server = PreviewServer(("127.0.0.1", port), handler(site_dir, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"  # the port taken, when asked for 0
    print(f"Preview: {address} (English: /en/). Ctrl+C stops.", flush=True)
    changes = _Changes(root)
    observer = Observer()
    observer.schedule(changes, str(root), recursive=False)  # the configuration files
    for name in WATCHED:
        if (root / name).is_dir():
            observer.schedule(changes, str(root / name), recursive=True)
    observer.start()
    try:
        seen = changes.changed_at  # a file saved during the first build is built next
        rebuild()
        while True:
            time.sleep(0.1)
            if changes.changed_at != seen and time.monotonic() - changes.changed_at >= QUIET:
                seen = changes.changed_at
                rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()
