"""Twisted echo server for the interop tests: listens on 127.0.0.1 (a free port), prints
"port N", echoes every connection, and stops after the first connection closes.

usage: /usr/bin/python3 echo_server.py
"""
import sys

from twisted.internet import protocol, reactor


class Echo(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)

    def connectionLost(self, reason):
        reactor.callLater(0, reactor.stop)


factory = protocol.Factory.forProtocol(Echo)
port = reactor.listenTCP(0, factory, interface="127.0.0.1")
print("port %d" % port.getHost().port, flush=True)
reactor.run()
sys.exit(0)
