#!/usr/bin/env python3
"""The smallest Kubernetes API server the vxlan node agent's Node informer needs, for the podman test: HTTPS
with a given certificate, `GET /api/v1/nodes` (a fixed NodeList) and the watch on it (held open, no events).
Websocket upgrades are answered 503, which makes fabric8 fall back to its HTTP watch. Logs each request.

usage: fake-apiserver.py ADDR PORT CERT KEY NODES.json
"""
import json
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def main():
    addr, port, cert, key, nodes_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    with open(nodes_file) as f:
        nodes = json.load(f)
    node_list = json.dumps({"apiVersion": "v1", "kind": "NodeList", "metadata": {"resourceVersion": "1"},
                            "items": nodes}).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("fake-apiserver: %s\n" % (fmt % args))
            sys.stderr.flush()

        def do_GET(self):
            url = urlparse(self.path)
            q = parse_qs(url.query)
            if self.headers.get("Upgrade", "").lower() == "websocket":
                return self.send_plain(503, b"no websockets here")
            if url.path != "/api/v1/nodes":
                return self.send_plain(404, b'{"kind":"Status","apiVersion":"v1","status":"Failure","code":404}')
            if q.get("watch") == ["true"]:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                deadline = time.time() + min(int(q.get("timeoutSeconds", ["300"])[0]), 300)
                while time.time() < deadline:
                    time.sleep(1)
                self.wfile.write(b"0\r\n\r\n")
                return
            self.send_plain(200, node_list, "application/json")

        def send_plain(self, code, body, ctype="text/plain"):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((addr, port), Handler)
    server.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
