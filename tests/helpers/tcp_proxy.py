"""A small TCP proxy for fault-injection tests: the app under test connects to PostgreSQL
through it, and the test takes the database away (`down()`: every open connection is cut, new
ones are closed at once, as when the server is stopped) and gives it back (`up()`)."""

import contextlib
import socket
import threading


class TcpProxy:
    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.available = True
        self.accepted = 0
        self.refused = 0
        self._open = set()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._closed:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.available:
                self.refused += 1
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            self.accepted += 1
            with self._lock:
                self._open.update({client, server})
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(target)

    def _close(self, sock):
        with self._lock:
            self._open.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def down(self):
        """The database is gone: cut every connection, close new ones at once."""
        self.available = False
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            self._close(sock)

    def up(self):
        self.available = True

    def close(self):
        self._closed = True
        self.down()
        with contextlib.suppress(OSError):
            self.listener.close()
