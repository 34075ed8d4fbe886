"""A plain Python socket client for the timestamp server example: sends two lines, prints the
answers, sends an empty line and prints "closed" once the server has closed the connection.
Then it prints "ctime ok" if every stamp parses as C's ctime() ("%a %b %d %H:%M:%S %Y", which
is what time.strptime expects by default) and lies within a minute of this machine's clock.

usage: python3 timestamp_client.py PORT
"""
import socket
import sys
import time

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
reader = sock.makefile("rb")
stamps = []
for text in (b"hello from python", b"second line"):
    sock.sendall(text + b"\r\n")
    answer = reader.readline().decode("utf-8")
    sys.stdout.write(answer)
    stamps.append(answer[:24])
sock.sendall(b"\r\n")
rest = reader.read()
print("closed" if rest == b"" else "unexpected: %r" % rest)
skews = [abs(time.mktime(time.strptime(s)) - time.time()) for s in stamps]
print("ctime ok" if max(skews) < 60 else "ctime skew %r" % skews)
sys.stdout.flush()
