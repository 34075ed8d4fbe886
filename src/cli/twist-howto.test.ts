// The plugin of docs/howto/twist.md ("How to add a plugin"), run through `twist`'s `main` as the page
// says. The last test checks that the page shows this file's code verbatim, so the two cannot drift.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
// src/myapp/plugin.ts
import {
  type IServiceMaker,
  MultiService,
  type OptionsSchema,
  StreamServerEndpointService,
  UsageError,
} from '../application/index.js';
import { serverFromString } from '../internet/endpoints/strports.js';
import { Factory, Protocol } from '../internet/protocol.js';
import { NodeReactor } from '../internet/reactor.js';
import { OutputSink } from './output-sink.test-helpers.js';
import { main, type TwistIO } from './twist.js';

class Greeter extends Protocol {
  constructor(readonly greeting: string) {
    super();
  }

  override connectionMade(): void {
    this.transport!.write(`${this.greeting}\r\n`);
    this.transport!.loseConnection();
  }
}

class GreeterFactory extends Factory {
  constructor(readonly greeting: string) {
    super();
  }

  override buildProtocol(): Greeter {
    const p = new Greeter(this.greeting);
    p.factory = this;
    return p;
  }
}

const options = {
  options: {
    listen: {
      type: 'string',
      multiple: true,
      default: ['tcp:8000'],
      metavar: 'STRPORT',
      description: 'Where to listen.',
    },
    greeting: { type: 'string', default: 'hello', description: 'What to say.' },
  },
} as const satisfies OptionsSchema;

export const greeter: IServiceMaker<typeof options> = {
  name: 'greeter',
  description: 'Greets every client.',
  options,
  makeService({ values }, { reactor, shutdownTimeout }) {
    if (values.greeting === '') throw new UsageError('--greeting must not be empty'); // exit code 2
    const top = new MultiService();
    for (const where of values.listen) {
      new StreamServerEndpointService(serverFromString(reactor, where), new GreeterFactory(values.greeting), {
        shutdownTimeout,
        clock: reactor,
      }).setServiceParent(top);
    }
    return top;
  },
};

function io(): TwistIO & { stdout: OutputSink; stderr: OutputSink; signals: EventEmitter } {
  return {
    stdout: new OutputSink(),
    stderr: new OutputSink(),
    env: {},
    plugins: [greeter],
    reactor: new NodeReactor({ installSignalHandlers: false }),
    signals: new EventEmitter(),
  };
}

function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('docs/howto/twist.md: the greeter plugin', () => {
  it('runs under twist: greets each client, stops on SIGTERM', async () => {
    const out = io();
    const running = main(
      ['greeter', '--listen', 'tcp:0:interface=127.0.0.1', '--greeting', 'good morning'],
      out,
    );
    const [, port] = await out.stdout.waitFor(/Listening on 127\.0\.0\.1:(\d+)/);
    assert.equal(await greeting(Number(port)), 'good morning\r\n');
    out.signals.emit('SIGTERM', 'SIGTERM');
    assert.equal(await running, 0);
  });

  it('lists its options with their defaults for --help', async () => {
    const out = io();
    assert.equal(await main(['greeter', '--help'], out), 0);
    assert.match(
      out.stdout.text,
      /--listen=STRPORT +Where to listen\. \(may be repeated\) \[default: tcp:8000\]/,
    );
    assert.match(out.stdout.text, /--greeting=GREETING +What to say\. \[default: hello\]/);
  });

  it('turns the UsageError of makeService into the usage and exit code 2', async () => {
    const out = io();
    assert.equal(await main(['greeter', '--greeting', ''], out), 2);
    assert.match(
      out.stderr.text,
      /^twist: error: greeter: --greeting must not be empty\nUsage: twist \[options\] greeter/,
    );
  });

  it('the page shows exactly the code of this plugin', () => {
    const page = readFileSync(new URL('../../docs/howto/twist.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const block = page.match(/```ts\n(\/\/ src\/myapp\/plugin\.ts\n[\s\S]*?)```/)?.[1];
    assert.ok(block, 'the plugin block is on the page');
    // The file-name comment and the imports (up to the first blank line) are at the top of this
    // file, among its own imports; the rest must appear here in order, verbatim.
    const trimmed = (text: string): string[] =>
      text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    const split = block.indexOf('\n\n');
    for (const l of trimmed(block.slice(0, split)))
      assert.ok(source.includes(l), `not in the test file: ${l}`);
    const body = trimmed(block.slice(split));
    const first = body[0] as string;
    const found = source.some((_, i) => source[i] === first && body.every((l, k) => source[i + k] === l));
    assert.ok(found, `the plugin code is not in the test file verbatim:\n${body.join('\n')}`);
  });
});
