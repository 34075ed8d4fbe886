import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatHelp, type OptionsSchema, parseOptions, UsageError } from './options.js';

const schema = {
  options: {
    listen: {
      type: 'string',
      multiple: true,
      default: ['tcp:8000'],
      metavar: 'STRPORT',
      description: 'Where to listen.',
    },
    host: { type: 'string', short: 'H', description: 'Target host.' },
    port: { type: 'string', default: '80', description: 'Target port.' },
    verbose: { type: 'boolean', short: 'v', description: 'Say more.' },
  },
  positionals: [
    { name: 'user', description: 'Who.' },
    { name: 'extra', description: 'More.', optional: true },
  ],
} as const satisfies OptionsSchema;

describe('parseOptions', () => {
  it('applies defaults and parses values, flags and positionals', () => {
    const { values, positionals } = parseOptions(schema, ['-H', 'example.com', '--verbose', 'ann']);
    assert.deepEqual(values, { listen: ['tcp:8000'], host: 'example.com', port: '80', verbose: true });
    assert.deepEqual(positionals, ['ann']);
  });

  it('collects repeated options and accepts --name=value', () => {
    const { values } = parseOptions(schema, ['--listen=tcp:1', '--listen', 'tcp:2', 'ann']);
    assert.deepEqual(values.listen, ['tcp:1', 'tcp:2']);
  });

  it('throws UsageError for unknown options, missing values and wrong positionals', () => {
    for (const argv of [['--nope', 'ann'], ['ann', '--host'], [], ['a', 'b', 'c']]) {
      assert.throws(() => parseOptions(schema, argv), UsageError, argv.join(' '));
    }
  });
});

describe('formatHelp', () => {
  it('lays out usage, description, options with defaults and arguments', () => {
    assert.equal(
      formatHelp(schema, { usage: 'thing [options] USER [EXTRA]', description: 'Does things.' }),
      [
        'Usage: thing [options] USER [EXTRA]',
        'Does things.',
        'Options:',
        '      --listen=STRPORT  Where to listen. (may be repeated) [default: tcp:8000]',
        '  -H, --host=HOST       Target host.',
        '      --port=PORT       Target port. [default: 80]',
        '  -v, --verbose         Say more.',
        '      --help            Display this help and exit.',
        'Arguments:',
        '  USER     Who.',
        '  EXTRA    More.',
        '',
      ].join('\n'),
    );
  });
});
