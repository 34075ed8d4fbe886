import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseRange } from './range.js';

describe('parseRange', () => {
  it('parses first-last, open-ended and suffix ranges, clipped to the size', () => {
    assert.deepEqual(parseRange('bytes=0-99,-10', 1000), [
      { start: 0, end: 100 },
      { start: 990, end: 1000 },
    ]);
    assert.deepEqual(parseRange('bytes=990-', 1000), [{ start: 990, end: 1000 }]);
    assert.deepEqual(parseRange('bytes=0-5000', 1000), [{ start: 0, end: 1000 }]);
    assert.deepEqual(parseRange('bytes=-5000', 1000), [{ start: 0, end: 1000 }]);
  });

  it('reports unsatisfiable ranges and ignores malformed ones', () => {
    assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-1', 1000), null);
    assert.equal(parseRange('items=0-1', 1000), null);
    assert.equal(parseRange(`bytes=${Array(20).fill('0-1').join(',')}`, 1000), null);
  });

  it('always returns ranges inside the resource', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(10000), (spec, size) => {
        const r = parseRange(`bytes=${spec}`, size);
        if (Array.isArray(r)) for (const x of r) assert.ok(x.start >= 0 && x.start < x.end && x.end <= size);
      }),
    );
  });
});
