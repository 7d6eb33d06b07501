"""A small local HTTP server that plays the SMS/WhatsApp gateway and records what it
receives. It can answer with a script of status codes, be slow, or be switched off."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGateway:
    def __init__(self, token: str = "gateway-token", *, keep_alive: bool = False) -> None:
        self.token = token
        # HTTP/1.1 keeps a connection open between messages, as real gateways do (the
        # benchmarks). The tests' gateway closes each one, so that stopping it stops it.
        self.keep_alive = keep_alive
        self.received: list[dict] = []  # every request, in order
        self.script: list[int] = []  # status codes to answer next; then 200
        self.delay = 0.0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send"

    def start(self) -> "FakeGateway":
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if self.keep_alive else "HTTP/1.0"

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                authorised = self.headers.get("Authorization") == f"Bearer {gateway.token}"
                with gateway.lock:
                    status = gateway.script.pop(0) if gateway.script else (200 if authorised else 401)
                    gateway.received.append({**body, "answer": status, "at": time.monotonic()})
                if gateway.delay:
                    time.sleep(gateway.delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def delivered_ids(self) -> list[str]:
        """Ids the gateway accepted (answered 200), in order, duplicates kept."""
        with self.lock:
            return [item["id"] for item in self.received if item["answer"] == 200]

    def wait_for(self, predicate, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"gateway did not get what was expected; received {self.received}")
            time.sleep(0.1)
