/**
 * A line server: answers each line with the server's time (like C's ctime()) followed by the line;
 * an empty line closes the connection. Stop it with Ctrl-C.
 *
 *     node --import tsx examples/timestamp-server.ts [--port 8001] [--interface 127.0.0.1]
 */
import { parseArgs } from 'node:util';
import { Factory, reactor } from '../src/internet/index.js';
import { LineReceiver } from '../src/protocols/basic/index.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Formats a date as C's ctime() does, in local time: `Mon Nov 23 21:33:05 2026`. */
export function ctime(date: Date): string {
  return (
    `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())} ${date.getFullYear()}`
  );
}

/** Answers `<ctime> <line>`; an empty line hangs up. Accepts `\n` and `\r\n` line endings. */
class Timestamp extends LineReceiver {
  override delimiter = '\n';

  override lineReceived(line: Buffer): void {
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text === '') {
      this.transport!.loseConnection();
      return;
    }
    this.sendLine(`${ctime(new Date())} ${text}`);
  }
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8001' },
    interface: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/timestamp-server.ts [--port 8001] [--interface 127.0.0.1]\n' +
      'Answers each line with the current time and the line; an empty line closes the connection.',
  );
} else {
  const port = reactor.listenTCP(Number(values.port), Factory.forProtocol(Timestamp), {
    interface: values.interface,
  });
  const host = port.getHost() as { host: string; port: number };
  console.log(`timestamp server listening on ${host.host}:${host.port}`);
  await reactor.run();
}
