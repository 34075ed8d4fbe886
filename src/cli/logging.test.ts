import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { type LogLevel, logLevels } from '../logger/levels.js';
import { Logger } from '../logger/logger.js';
import { parseLogLevels, startLogging } from './logging.js';
import { OutputSink } from './output-sink.test-helpers.js';

describe('parseLogLevels (--log-level)', () => {
  it('reads a bare level as the level of every namespace', () => {
    assert.deepEqual(parseLogLevels('debug'), { level: 'debug', namespaces: new Map() });
  });

  it('reads NAMESPACE=LEVEL items, with the default level anywhere in the list or absent', () => {
    assert.deepEqual(parseLogLevels('warn,twisted-ts.web=debug, myapp = error'), {
      level: 'warn',
      namespaces: new Map([
        ['twisted-ts.web', 'debug'],
        ['myapp', 'error'],
      ]),
    });
    assert.deepEqual(parseLogLevels('myapp=debug,critical'), {
      level: 'critical',
      namespaces: new Map([['myapp', 'debug']]),
    });
    assert.deepEqual(parseLogLevels('__proto__=debug'), {
      level: 'info',
      namespaces: new Map([['__proto__', 'debug']]),
    });
  });

  it('lets the last item for a namespace win', () => {
    assert.deepEqual(parseLogLevels('a=debug,a=error').namespaces, new Map([['a', 'error']]));
  });

  it('rejects an unknown level, an empty item, a missing namespace and a second default level', () => {
    for (const [spec, message] of [
      ['loud', /invalid log level "loud"/],
      ['info,web=loud', /invalid log level "loud"/],
      ['info,,web=debug', /empty item/],
      ['', /empty item/],
      ['info,=debug', /names no namespace/],
      ['info,warn', /two default levels/],
    ] as const) {
      assert.throws(() => parseLogLevels(spec), message, spec);
    }
  });

  it('reads back any list it is given (property)', () => {
    const level = fc.constantFrom(...logLevels) as fc.Arbitrary<LogLevel>;
    const namespace = fc.stringMatching(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/);
    fc.assert(
      fc.property(
        fc.option(level, { nil: undefined }),
        fc.uniqueArray(fc.tuple(namespace, level), { selector: ([ns]) => ns, maxLength: 20, size: 'max' }),
        fc.nat(),
        (defaultLevel, pairs, at) => {
          const items = pairs.map(([ns, l]) => `${ns}=${l}`);
          if (defaultLevel !== undefined) items.splice(at % (items.length + 1), 0, defaultLevel);
          fc.pre(items.length > 0);
          assert.deepEqual(parseLogLevels(items.join(',')), {
            level: defaultLevel ?? 'info',
            namespaces: new Map(pairs),
          });
        },
      ),
    );
  });
});

describe('startLogging with levels per namespace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twist-logging-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes each event by the level of its namespace or nearest parent, else the default', async () => {
    const file = join(dir, 'levels.log');
    const { level, namespaces } = parseLogLevels('error,app.db=debug,app.db.pool=warn');
    const logging = startLogging({
      level,
      namespaceLevels: namespaces,
      format: 'json',
      file,
      stdout: new OutputSink(),
    });
    const emitted: [string, LogLevel][] = [
      ['app', 'info'],
      ['app', 'error'],
      ['app.db', 'debug'],
      ['app.db.query', 'debug'],
      ['app.db.pool', 'info'],
      ['app.db.pool', 'warn'],
      ['app.dbx', 'info'],
    ];
    for (const [namespace, level] of emitted) {
      new Logger(namespace).emit(level, `${namespace} ${level}`);
    }
    await logging.stop();
    const logged = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).logText);
    assert.deepEqual(logged, ['app error', 'app.db debug', 'app.db.query debug', 'app.db.pool warn']);
  });
});
