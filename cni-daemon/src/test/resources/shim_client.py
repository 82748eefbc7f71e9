#!/usr/bin/env python3
"""A stand-in for the native shim (tests only): protocol v1 as in cni-daemon/README.md.

usage: shim_client.py SOCKET TYPE < config
Sends every CNI_*/JCNI_* variable, stdin, fds[0] = own netns, fds[1] = CNI_NETNS when it opens; writes the
response's stdout/stderr and exits with its code. A fallback answer (kind 2) exits 86 with "fallback" on stderr.
"""
import os
import socket
import struct
import sys


def blob(b):
    return struct.pack(">I", len(b)) + b


def recv_exact(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise EOFError("daemon closed the connection")
        out += chunk
    return out


def main():
    path, typ = sys.argv[1], sys.argv[2]
    stdin = sys.stdin.buffer.read()
    env = [k + b"=" + v for k, v in os.environb.items() if k.startswith(b"CNI_") or k.startswith(b"JCNI_")]
    fds = [os.open("/proc/self/ns/net", os.O_RDONLY | os.O_CLOEXEC)]
    netns = os.environ.get("CNI_NETNS", "")
    if netns:
        try:
            fds.append(os.open(netns, os.O_RDONLY | os.O_CLOEXEC))
        except OSError:
            pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    if recv_exact(s, 8) != b"JCNI\x00\x00\x00\x01":
        sys.exit("bad greeting")
    body = bytes([1, 1 if len(fds) > 1 else 0]) + blob(typ.encode()) + struct.pack(">I", len(env))
    body += b"".join(blob(e) for e in env) + blob(stdin)
    socket.send_fds(s, [struct.pack(">I", len(body))], fds)
    s.sendall(body)
    m = struct.unpack(">I", recv_exact(s, 4))[0]
    resp = recv_exact(s, m)
    kind = resp[0]
    code = struct.unpack(">i", resp[1:5])[0]
    n = struct.unpack(">I", resp[5:9])[0]
    out = resp[9:9 + n]
    e = struct.unpack(">I", resp[9 + n:13 + n])[0]
    err = resp[13 + n:13 + n + e]
    if kind == 2:
        sys.stderr.write("fallback\n")
        sys.exit(86)
    sys.stdout.buffer.write(out)
    sys.stderr.buffer.write(err)
    sys.exit(code)


main()
