import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { MultiService } from '../application/multi-service.js';
import type { OptionsSchema } from '../application/options.js';
import { passwd } from '../application/plugins/passwd.js';
import type { IServiceMaker, TwistPlugin } from '../application/service-maker.js';
import { StreamServerEndpointService } from '../application/stream-server-endpoint-service.js';
import { verifyPassword } from '../cred/password-hash.js';
import { serverFromString } from '../internet/endpoints/strports.js';
import { Factory, Protocol } from '../internet/protocol.js';
import { NodeReactor } from '../internet/reactor.js';
import { OutputSink } from './output-sink.test-helpers.js';
import { main, type TwistIO } from './twist.js';

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport?.write(data);
  }
}

const echoSchema = {
  options: {
    listen: {
      type: 'string',
      multiple: true,
      default: ['tcp:0:interface=127.0.0.1'],
      metavar: 'STRPORT',
      description: 'Where.',
    },
  },
} as const satisfies OptionsSchema;

const testEcho: IServiceMaker<typeof echoSchema> = {
  name: 'test-echo',
  description: 'An echo server for the twist tests.',
  options: echoSchema,
  makeService(options, { reactor, shutdownTimeout }) {
    const top = new MultiService();
    for (const where of options.values.listen) {
      new StreamServerEndpointService(serverFromString(reactor, where), Factory.forProtocol(Echo), {
        shutdownTimeout,
        clock: reactor,
      }).setServiceParent(top);
    }
    return top;
  },
};

const plugins: readonly TwistPlugin[] = [testEcho, passwd];

function io(extra: Partial<TwistIO> = {}): TwistIO & { stdout: OutputSink; stderr: OutputSink } {
  return { stdout: new OutputSink(), stderr: new OutputSink(), env: {}, plugins, ...extra } as TwistIO & {
    stdout: OutputSink;
    stderr: OutputSink;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'twist-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('twist main: help and usage', () => {
  it('prints the options and the plugins for --help and exits 0', async () => {
    const out = io();
    assert.equal(await main(['--help'], out), 0);
    assert.match(out.stdout.text, /^Usage: twist \[options\] PLUGIN \[plugin options\]\n/);
    for (const option of [
      '--log-level=LEVEL',
      '--log-format=FORMAT',
      '--log-file=PATH',
      '--workers=N',
      '--shutdown-timeout=SECONDS',
      '--pidfile=PATH',
    ]) {
      assert.ok(out.stdout.text.includes(option), option);
    }
    assert.match(
      out.stdout.text,
      /Plugins:\n {2}test-echo +An echo server for the twist tests\.\n {2}passwd +/,
    );
  });

  it('prints the plugin options with their defaults for PLUGIN --help', async () => {
    const out = io();
    assert.equal(await main(['test-echo', '--help'], out), 0);
    assert.equal(
      out.stdout.text,
      [
        'Usage: twist [options] test-echo [options]',
        'An echo server for the twist tests.',
        'Options:',
        '      --listen=STRPORT  Where. (may be repeated) [default: tcp:0:interface=127.0.0.1]',
        '      --help            Display this help and exit.',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 with what is wrong and the usage for an unknown plugin option', async () => {
    const out = io();
    assert.equal(await main(['test-echo', '--port', '7'], out), 2);
    assert.match(
      out.stderr.text,
      /^twist: error: test-echo: Unknown option '--port'\nUsage: twist \[options\] test-echo/,
    );
  });

  it('exits 2 for an unknown plugin, no plugin, or a bad global option value', async () => {
    for (const argv of [
      ['nope'],
      [],
      ['--log-level', 'loud', 'test-echo'],
      ['--log-level', 'info,=debug', 'test-echo'],
      ['--workers', '0', 'test-echo'],
      ['--log-format', 'xml', 'test-echo'],
    ]) {
      const out = io();
      assert.equal(await main(argv, out), 2, argv.join(' '));
      assert.match(out.stderr.text, /^twist: error: .+\nUsage: /, argv.join(' '));
    }
  });

  it('exits 2 when a plugin cannot parse its endpoint description', async () => {
    const out = io({ reactor: new NodeReactor({ installSignalHandlers: false }) });
    assert.equal(await main(['test-echo', '--listen', 'bogus:1'], out), 2);
    assert.match(out.stderr.text, /test-echo: .*bogus/);
  });
});

describe('twist passwd', () => {
  it('prints user:hash for --password', async () => {
    const out = io();
    assert.equal(await main(['passwd', '--password', 's3cret', 'alice'], out), 0);
    const [user, hash] = out.stdout.text.trimEnd().split(/:(.*)/s);
    assert.equal(user, 'alice');
    assert.equal(await verifyPassword('s3cret', hash ?? ''), true);
  });

  it('reads the password from the first line of stdin', async () => {
    const out = io({ stdin: Readable.from(['from-stdin\nignored\n']) });
    assert.equal(await main(['passwd', 'bob'], out), 0);
    assert.equal(await verifyPassword('from-stdin', out.stdout.text.trimEnd().slice('bob:'.length)), true);
  });

  it('refuses a username with a colon and a missing username', async () => {
    assert.equal(await main(['passwd', '--password', 'x', 'a:b'], io()), 2);
    const out = io();
    assert.equal(await main(['passwd', '--password', 'x'], out), 2);
    assert.match(out.stderr.text, /missing argument: USER/);
  });
});

describe('twist running a service in-process', () => {
  it('serves until the first SIGTERM, logging listening and shutdown, and exits 0', async () => {
    const signals = new EventEmitter();
    const out = io({ reactor: new NodeReactor({ installSignalHandlers: false }), signals });
    const running = main(['test-echo'], out);
    const [, port] = await out.stdout.waitFor(/\[twisted-ts\.twist#info\] Listening on 127\.0\.0\.1:(\d+)/);
    const echoed = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('ping'));
      socket.on('data', (d) => {
        resolve(d.toString());
        socket.end();
      });
      socket.on('error', reject);
    });
    assert.equal(echoed, 'ping');
    signals.emit('SIGTERM', 'SIGTERM');
    assert.equal(await running, 0);
    assert.match(out.stdout.text, /Received SIGTERM: shutting down; open connections have 10s to finish/);
    assert.equal(signals.listenerCount('SIGTERM'), 0);
  });

  it('writes JSON logs to --log-file and honours --log-level', async () => {
    const signals = new EventEmitter();
    const logFile = join(dir, 'twist.log');
    const reactor = new NodeReactor({ installSignalHandlers: false });
    const out = io({ reactor, signals });
    // Once running (the signal handlers are installed by then): two signals, so that a warning
    // ("aborting") is logged among the info events (starting, shutting down).
    reactor.callWhenRunning(() => {
      signals.emit('SIGINT', 'SIGINT');
      signals.emit('SIGINT', 'SIGINT');
    });
    const running = main(
      ['--log-format', 'json', '--log-file', logFile, '--log-level', 'warn', 'test-echo'],
      out,
    );
    assert.equal(await running, 0);
    assert.equal(out.stdout.text, '');
    const events = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      events.map((e) => [e.logLevel, e.logNamespace, e.logText]),
      [['warn', 'twisted-ts.twist', 'Received SIGINT again: aborting open connections']],
    );
  });

  it('honours a level per namespace in --log-level', async () => {
    const signals = new EventEmitter();
    const logFile = join(dir, 'twist-namespaces.log');
    const reactor = new NodeReactor({ installSignalHandlers: false });
    const out = io({ reactor, signals });
    reactor.callWhenRunning(() => signals.emit('SIGINT', 'SIGINT'));
    const argv = [
      '--log-format',
      'json',
      '--log-file',
      logFile,
      '--log-level',
      'critical,twisted-ts.twist=info',
    ];
    assert.equal(await main([...argv, 'test-echo'], out), 0);
    const events = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // The default (critical) drops everything; the namespace's own level lets its info events through.
    assert.deepEqual(
      events.map((e) => [e.logLevel, e.logNamespace, e.logText.replace(/\d+/g, 'N')]),
      [
        ['info', 'twisted-ts.twist', 'Starting test-echo (pid N)'],
        ['info', 'twisted-ts.twist', 'Received SIGINT: shutting down; open connections have Ns to finish'],
        ['info', 'twisted-ts.twist', 'Listening on N.N.N.N:N'],
        ['info', 'twisted-ts.twist', 'Stopped'],
      ],
    );
  });

  it('exits 1 and says why when a server cannot listen', async (t) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    t.after(() => taken.close());
    const { port } = taken.address() as { port: number };
    const out = io({
      reactor: new NodeReactor({ installSignalHandlers: false }),
      signals: new EventEmitter(),
    });
    assert.equal(await main(['test-echo', '--listen', `tcp:${port}:interface=127.0.0.1`], out), 1);
    assert.match(out.stdout.text, /\[twisted-ts\.application#error\] Could not listen on /);
    assert.match(out.stdout.text, /\[twisted-ts\.twist#critical\] A server could not listen; stopping/);
  });

  it('refuses to start when --pidfile names a live process', async () => {
    const pidfile = join(dir, 'live.pid');
    writeFileSync(pidfile, `${process.ppid}\n`);
    const out = io({ reactor: new NodeReactor({ installSignalHandlers: false }) });
    assert.equal(await main(['--pidfile', pidfile, 'test-echo'], out), 1);
    assert.match(out.stderr.text, new RegExp(`says process ${process.ppid} is running`));
    assert.equal(readFileSync(pidfile, 'utf8'), `${process.ppid}\n`);
  });
});
