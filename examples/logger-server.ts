/**
 * The simple logger: a server that only watches. It prints each connection, then each chunk of
 * bytes as `dataReceived` sees it (`--mode chunk`, a plain `Protocol`) or each complete line
 * (`--mode line`, a `LineReceiver`), then each disconnection. Run both modes and type slowly into
 * `nc`: chunks follow the network's whims, lines follow the protocol's framing.
 *
 *     node --import tsx examples/logger-server.ts [--mode chunk|line] [--port 8008] [--interface 127.0.0.1]
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { Factory, type IPv4Address, type ITransport, Protocol, reactor } from '../src/internet/index.js';
import { LineReceiver } from '../src/protocols/basic/index.js';

/** `host:port` of the other side of `transport`. */
function peerOf(transport: ITransport): string {
  const peer = transport.getPeer() as IPv4Address;
  return `${peer.host}:${peer.port}`;
}

/** Logs raw chunks: one `data` line per `dataReceived` call. */
class ChunkLogger extends Protocol {
  override connectionMade(): void {
    console.log(`connected: ${peerOf(this.transport!)}`);
  }

  override dataReceived(data: Buffer): void {
    console.log(`data: ${JSON.stringify(data.toString('utf8'))}`);
  }

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    console.log(`disconnected: ${reason?.name}`);
  }
}

/** Logs complete lines: one `line` line per `lineReceived` call, whatever the chunking. */
class LineLogger extends LineReceiver {
  override delimiter = '\n';

  override connectionMade(): void {
    console.log(`connected: ${peerOf(this.transport!)}`);
  }

  override lineReceived(line: Buffer): void {
    console.log(`line: ${JSON.stringify(line.toString('utf8').replace(/\r$/, ''))}`);
  }

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    console.log(`disconnected: ${reason?.name}`);
  }
}

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'chunk' },
    port: { type: 'string', default: '8008' },
    interface: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
const usage =
  'usage: node --import tsx examples/logger-server.ts [--mode chunk|line] [--port 8008] [--interface 127.0.0.1]\n' +
  'Prints each connection, each chunk (or line) received and each disconnection. Ctrl-C stops it.';
if (values.help) {
  console.log(usage);
} else if (values.mode !== 'chunk' && values.mode !== 'line') {
  console.error(usage);
  process.exitCode = 2;
} else {
  const factory = values.mode === 'line' ? Factory.forProtocol(LineLogger) : Factory.forProtocol(ChunkLogger);
  const port = reactor.listenTCP(Number(values.port), factory, { interface: values.interface });
  const host = port.getHost() as IPv4Address;
  console.log(`logger server (${values.mode} mode) listening on ${host.host}:${host.port}`);
  await reactor.run();
}
