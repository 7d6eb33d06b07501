"""The web server's worker: gunicorn's threaded worker, with the live streams on
threads of their own.

A worker answers requests on a small pool of threads (``WEB_THREADS``). Few threads
per process keep the answers in order under a rush: the requests beyond them wait in
the pool's queue, first come first served, instead of all sharing the interpreter at
once, each finishing later the more there are (docs/decisions/0001-web-worker.md). A live stream
(``GET /live/…``, a display board or an officer's console) holds its thread for
minutes, so streams get a pool of their own (``WEB_STREAMS`` per worker): a room full
of screens never takes a thread from a booking, and a rush of bookings never delays a
board. A stream that finds every stream thread taken is answered 503 at once, with
Retry-After, rather than waiting in the pool's queue until a stream ends; which streams
may take the threads (the staff's screens before anonymous ones) is the stream view's
business (queueing/floor/views/live.py).

Which pool a request goes to is read off its first bytes, peeked at on the socket
(the request itself is then read as usual). A connection that has sent nothing yet
waits on the worker's poller, not on a thread.

A new connection goes to a worker that holds the fewest. Left to themselves, the
workers take connections as they happen to wake, and kept-alive connections stay
where they landed, unevenly: the requests of a full worker waited behind each other
while another had threads to spare. Each worker writes how many it holds on a board the
workers share (a page of memory made before they are forked); one that holds more
than another stops listening until that changes.

This module is loaded by gunicorn's arbiter, so it imports nothing of Django.
"""

import json
import mmap
import os
import selectors
import socket
import struct
import time
from concurrent import futures
from functools import partial

from gunicorn import glogging
from gunicorn.workers import gthread

from mpp_common.log_privacy import redact, redact_handlers

STREAM_REQUEST = b"GET /live/"

# The board: per worker slot, the connections it holds and when it last wrote them
# (the monotonic clock, which all processes share). A slot not written for
# _LIVE_SECONDS belongs to a worker that is gone (a worker writes at least every
# second, when its poller's wait runs out).
_SLOTS = 64
_ENTRY = struct.Struct("dd")
_BOARD_FORMAT = struct.Struct(f"{2 * _SLOTS}d")
_BOARD = mmap.mmap(-1, _BOARD_FORMAT.size)
_LIVE_SECONDS = 3.0
# How often a worker that stopped listening looks at the board again.
_LOOK_AGAIN_SECONDS = 0.02

# The answer to a stream that finds the pool full; it fits any socket's send buffer. It
# is given before Django, hence in the portal's default language; programs read the code.
_FULL_DETAIL = "Siaran langsung sedang penuh; coba lagi sebentar lagi."
_FULL_BODY = json.dumps({"detail": _FULL_DETAIL, "code": "live_full"}).encode()
STREAMS_FULL = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: application/json\r\n"
    b"Retry-After: 10\r\n"
    b"Cache-Control: no-store\r\n"
    b"Connection: close\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(_FULL_BODY), _FULL_BODY)
)
# At most this much of a refused request is read before answering it.
_REFUSED_READ = 65536
# How often the refusals are written in the log, at most.
_REFUSALS_LOGGED_EVERY = 60.0


def _int_setting(name: str, default: int) -> int:
    value = int(os.environ.get(name) or default)
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


def _read_ahead(conn) -> bool:
    buffer = getattr(getattr(conn.parser, "unreader", None), "buf", None)
    return bool(buffer and buffer.getvalue())


class PortalWorker(gthread.ThreadWorker):
    def init_process(self):
        self.slot = self.age % _SLOTS
        self.streams = 0  # of the connections held, those now streaming
        self.stream_threads = _int_setting("WEB_STREAMS", 200)
        self.stream_pool = futures.ThreadPoolExecutor(max_workers=self.stream_threads, thread_name_prefix="stream")
        self.refused, self.refusals_logged = 0, 0.0
        super().init_process()

    def enqueue_req(self, conn):
        if _read_ahead(conn):
            # The next request was read with the last one: not a stream's first.
            super().enqueue_req(conn)
            return
        try:
            start = conn.sock.recv(len(STREAM_REQUEST), socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            self._wait_for_request(conn)
            return
        except OSError:
            start = b""  # the usual path meets the broken socket and closes it
        if start == STREAM_REQUEST and self.streams >= self.stream_threads:
            self._refuse_stream(conn)
        elif start == STREAM_REQUEST:
            conn.streaming = True
            self.streams += 1
            done = self.stream_pool.submit(self.handle, conn)
            done.add_done_callback(lambda fut: self.method_queue.defer(self.finish_request, conn, fut))
        else:
            super().enqueue_req(conn)

    def finish_request(self, conn, fs):
        if getattr(conn, "streaming", False):
            conn.streaming = False
            self.streams -= 1
        super().finish_request(conn, fs)

    def _refuse_stream(self, conn):
        """Every stream thread is taken: 503 now, on this thread, rather than a wait in
        the pool's queue for as long as a stream lasts. The request is read first (what
        has come of it), so closing does not reset the connection under the answer."""
        try:
            conn.sock.setblocking(False)
            for _ in range(_REFUSED_READ // 4096):
                if not conn.sock.recv(4096):
                    break
        except OSError:
            pass  # nothing more to read (BlockingIOError), or the client is gone
        try:
            conn.sock.send(STREAMS_FULL)
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        self.nr_conns -= 1
        conn.close()
        self.refused += 1
        now = time.monotonic()
        if now - self.refusals_logged >= _REFUSALS_LOGGED_EVERY:
            self.log.warning("All %d stream threads taken: %d stream(s) refused", self.stream_threads, self.refused)
            self.refused, self.refusals_logged = 0, now

    def _wait_for_request(self, conn):
        """Nothing sent yet: the poller tells when the request comes (gunicorn's own
        path for a connection that sent nothing in time), and it is looked at then.
        The client has as long as gunicorn gives it: its data timeout plus the
        keep-alive."""
        conn.sock.setblocking(False)
        conn.timeout = time.monotonic() + gthread.DEFAULT_WORKER_DATA_TIMEOUT + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))

    def _requests_held(self) -> int:
        """The connections held for requests. Streams do not count: they wait on
        threads of their own, and a worker holding a room's screens is no busier."""
        return self.nr_conns - self.streams

    def _write_board(self, stamp: float | None = None) -> None:
        stamp = time.monotonic() if stamp is None else stamp
        _ENTRY.pack_into(_BOARD, self.slot * _ENTRY.size, self._requests_held(), stamp)

    def _holds_fewest(self) -> bool:
        """No live worker holds fewer connections for requests than this one."""
        board, now = _BOARD_FORMAT.unpack_from(_BOARD), time.monotonic()
        mine = self._requests_held()
        for slot in range(_SLOTS):
            held, written = board[2 * slot], board[2 * slot + 1]
            if held < mine and now - written < _LIVE_SECONDS and slot != self.slot:
                return False
        return True

    def set_accept_enabled(self, enabled):
        # gunicorn's loop asks again on every turn while this keeps listening off
        # against its own count (``nr_conns < worker_connections``).
        super().set_accept_enabled(enabled and self.alive and self._holds_fewest())

    def accept(self, listener):
        super().accept(listener)
        self._write_board()
        if not self._holds_fewest():
            super().set_accept_enabled(False)

    def wait_for_and_dispatch_events(self, timeout):
        self._write_board()
        if self.alive and not self._accepting and self.nr_conns < self.worker_connections:
            timeout = min(timeout, _LOOK_AGAIN_SECONDS)  # off for the others' sake: look again soon
        super().wait_for_and_dispatch_events(timeout)

    def run(self):
        try:
            super().run()
        finally:
            self._write_board(stamp=0.0)  # gone: the others no longer count this slot

    def handle_quit(self, sig, frame):
        self.stream_pool.shutdown(wait=False)
        super().handle_quit(sig, frame)


class PrivateLogger(glogging.Logger):
    """gunicorn's logger with codes and personal data blanked: its error and access
    logs' handlers get the portal's filter, which rewrites each whole line (request
    line, referer and all)."""

    def setup(self, cfg):
        super().setup(cfg)
        redact_handlers(self.error_log)
        redact_handlers(self.access_log)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The bare query string (%(q)s, in a format of the operator's) has no "?" to be
        # recognised by in the line.
        if atoms.get("q"):
            atoms["q"] = redact(f"?{atoms['q']}")[1:]
        return atoms
