// Every description in the tables of docs/howto/endpoints.md is valid: it parses, and those that
// need no files, inherited sockets or registered wrappers build an endpoint.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { parseDescription } from './description.js';
import { clientFromString, serverFromString } from './strports.js';

const page = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'docs', 'howto', 'endpoints.md'),
  'utf8',
);

function rows(section: string): string[] {
  const start = page.indexOf(`### ${section}`);
  const end = page.indexOf('\n#', start + 4);
  const text = page.slice(start, end === -1 ? undefined : end);
  return [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!.replace('\\0', '\0'));
}

const needsMore = /\.(pem|key|crt)|systemd:|haproxy:/;

describe('docs/howto/endpoints.md', () => {
  for (const [section, make] of [
    ['Servers', serverFromString],
    ['Clients', clientFromString],
  ] as const) {
    const descriptions = rows(section);
    it(`shows ${section.toLowerCase()} descriptions that are valid`, () => {
      assert.ok(descriptions.length >= 8, `found ${descriptions.length} rows`);
      for (const d of descriptions) {
        parseDescription(d);
        if (!needsMore.test(d)) assert.ok(make(new MemoryReactorClock(), d), d);
      }
    });
  }
});
