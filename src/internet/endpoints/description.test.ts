import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DescriptionArgs, EndpointStringError, parseDescription, quoteField } from './description.js';

describe('parseDescription', () => {
  const cases: [string, string, string[], Record<string, string>][] = [
    ['tcp:80', 'tcp', ['80'], {}],
    ['TCP:80', 'tcp', ['80'], {}],
    ['tcp:80:interface=127.0.0.1', 'tcp', ['80'], { interface: '127.0.0.1' }],
    ['tcp:port=80:backlog=5', 'tcp', [], { port: '80', backlog: '5' }],
    ['tcp:80:interface=\\:\\:1', 'tcp', ['80'], { interface: '::1' }],
    ['unix:C\\:\\\\sock', 'unix', ['C:\\sock'], {}],
    ['unix:/tmp/a\\=b:mode=660', 'unix', ['/tmp/a=b'], { mode: '660' }],
    ['stdio:', 'stdio', [''], {}],
    ['stdio', 'stdio', [], {}],
    ['tcp:host=::1', 'tcp', ['', '1'], { host: '' }],
    [
      'tls:example.com:443:trustRoots=/a b/ca.pem',
      'tls',
      ['example.com', '443'],
      { trustRoots: '/a b/ca.pem' },
    ],
    ['x:a::b', 'x', ['a', '', 'b'], {}],
    ['x:k=', 'x', [], { k: '' }],
  ];
  for (const [input, type, args, kwargs] of cases) {
    it(`splits ${JSON.stringify(input)} into type, positional and keyword arguments`, () => {
      const parsed = parseDescription(input);
      assert.equal(parsed.type, type);
      assert.deepEqual(parsed.args, args);
      assert.deepEqual({ ...parsed.kwargs }, kwargs);
    });
  }

  it('keeps the raw text after the type for wrapping endpoints', () => {
    assert.equal(parseDescription('haproxy:tcp:80:interface=\\:\\:1').rest, 'tcp:80:interface=\\:\\:1');
    assert.equal(parseDescription('haproxy').rest, '');
  });

  const bad: [string, RegExp][] = [
    ['', /endpoint type/],
    [':80', /endpoint type/],
    ['a=b:80', /endpoint type/],
    ['tcp:80\\', /lone backslash/],
    ['tcp:a=b=c', /second "="/],
    ['tcp:=5', /no name/],
    ['tcp:80:backlog=1:backlog=2', /given twice/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)} with an EndpointStringError naming the description`, () => {
      assert.throws(
        () => parseDescription(input),
        (err: unknown) =>
          err instanceof EndpointStringError &&
          err.code === 'ERR_ENDPOINT_STRING' &&
          err.description === input &&
          err.message.includes(JSON.stringify(input)) &&
          message.test(err.message),
      );
    });
  }

  it('reads back any value written with quoteField', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 5 }),
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string()),
        (args, kwargs) => {
          const text = [
            'x',
            ...args.map(quoteField),
            ...Object.entries(kwargs).map(([k, v]) => `${k}=${quoteField(v)}`),
          ].join(':');
          const parsed = parseDescription(text);
          assert.deepEqual(parsed.args, args);
          assert.deepEqual({ ...parsed.kwargs }, { ...kwargs });
        },
      ),
    );
  });

  it('either parses or throws EndpointStringError for any string', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseDescription(text);
        } catch (err) {
          assert.ok(err instanceof EndpointStringError);
        }
      }),
    );
  });
});

describe('DescriptionArgs', () => {
  const args = (text: string) => new DescriptionArgs(text, parseDescription(text));

  it('takes a value by position or by keyword but not both', () => {
    assert.equal(args('tcp:80').port('port', 0), 80);
    assert.equal(args('tcp:port=80').port('port', 0), 80);
    assert.throws(() => args('tcp:80:port=81').port('port', 0), /both by position/);
  });

  it('rejects ports that are not integers up to 65535', () => {
    for (const p of ['65536', '-1', '8o', '', '1.5']) {
      assert.throws(() => args(`tcp:${p}`).requiredPort('port', 0, 'tcp:PORT'), EndpointStringError, p);
    }
    assert.equal(args('tcp:65535').requiredPort('port', 0, 'tcp:PORT'), 65535);
  });

  it('reads modes in octal and booleans as yes/no words', () => {
    assert.equal(args('unix:/s:mode=660').integer('mode', undefined, { radix: 8 }), 0o660);
    assert.throws(() => args('unix:/s:mode=9').integer('mode', undefined, { radix: 8 }), /octal/);
    assert.equal(args('unix:/s:lockfile=0').boolean('lockfile'), false);
    assert.equal(args('unix:/s:lockfile=yes').boolean('lockfile'), true);
    assert.throws(() => args('unix:/s:lockfile=maybe').boolean('lockfile'), /yes or no/);
  });

  it('reads seconds with a fraction and rejects other text', () => {
    assert.equal(args('tcp:h:1:timeout=2.5').seconds('timeout'), 2.5);
    assert.throws(() => args('tcp:h:1:timeout=soon').seconds('timeout'), /seconds/);
  });

  it('rejects unknown keywords and extra positional arguments when finishing', () => {
    const a = args('tcp:80:bogus=1');
    a.port('port', 0);
    assert.throws(() => a.finish(1), /unknown keyword "bogus"/);
    const b = args('tcp:80:81');
    b.port('port', 0);
    assert.throws(() => b.finish(1), /too many positional/);
  });
});
