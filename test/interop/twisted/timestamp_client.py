"""A plain Python socket client for the timestamp server example: sends two lines, prints the
answers, sends an empty line and prints "closed" once the server has closed the connection.

usage: python3 timestamp_client.py PORT
"""
import socket
import sys

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
reader = sock.makefile("rb")
for text in (b"hello from python", b"second line"):
    sock.sendall(text + b"\r\n")
    sys.stdout.write(reader.readline().decode("utf-8"))
sock.sendall(b"\r\n")
rest = reader.read()
print("closed" if rest == b"" else "unexpected: %r" % rest)
sys.stdout.flush()
