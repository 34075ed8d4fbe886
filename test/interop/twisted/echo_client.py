"""Twisted echo client for the interop tests: sends SIZE random bytes to HOST:PORT, reads the
echo back, and prints one JSON line with the sha256 of what it sent and of what it received.

usage: /usr/bin/python3 echo_client.py PORT SIZE
"""
import hashlib
import json
import os
import sys

from twisted.internet import protocol, reactor

PORT = int(sys.argv[1])
SIZE = int(sys.argv[2])
PAYLOAD = os.urandom(SIZE)
result = {}


class Client(protocol.Protocol):
    def connectionMade(self):
        self.received = 0
        self.digest = hashlib.sha256()
        self.transport.write(PAYLOAD)

    def dataReceived(self, data):
        self.received += len(data)
        self.digest.update(data)
        if self.received >= SIZE:
            self.transport.loseConnection()

    def connectionLost(self, reason):
        result["received"] = self.received
        result["receivedSha256"] = self.digest.hexdigest()
        reactor.stop()


class Factory(protocol.ClientFactory):
    protocol = Client

    def clientConnectionFailed(self, connector, reason):
        result["error"] = str(reason.value)
        reactor.stop()


reactor.connectTCP("127.0.0.1", PORT, Factory())
reactor.run()
result["sentSha256"] = hashlib.sha256(PAYLOAD).hexdigest()
print(json.dumps(result), flush=True)
