import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { splitPath, unquote } from './url-path.js';

describe('splitPath', () => {
  it('decodes each segment on its own: an encoded slash or dot-dot stays one segment', () => {
    assert.deepEqual(splitPath('/'), ['']);
    assert.deepEqual(splitPath('/a/b%20c/'), ['a', 'b c', '']);
    assert.deepEqual(splitPath('/sub%2f..%2f..%2fsecret'), ['sub/../../secret']);
    assert.deepEqual(splitPath('/%2e%2e/x'), ['..', 'x']);
    assert.deepEqual(splitPath('*'), []);
    assert.equal(unquote('%zz'), '%zz');
  });

  it('gives back any segments encoded with encodeURIComponent', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (segments) => {
        assert.deepEqual(splitPath(`/${segments.map(encodeURIComponent).join('/')}`), segments);
      }),
    );
  });
});
