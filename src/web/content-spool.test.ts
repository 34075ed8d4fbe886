import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { ContentSpool } from './content-spool.js';

const dir = mkdtempSync(join(tmpdir(), 'twisted-web-spool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function ended(spool: ContentSpool): Promise<Error | null> {
  return new Promise((resolve) => spool.end(resolve));
}

const body = Buffer.from('0123456789'.repeat(1000));

describe('ContentSpool', () => {
  it('keeps a body up to the threshold in memory, complete at once', () => {
    const spool = new ContentSpool({ threshold: body.length, directory: dir });
    spool.write(body.subarray(0, 3000));
    spool.write(body.subarray(3000));
    let result: Error | null | undefined;
    spool.end((err) => {
      result = err;
    });
    assert.equal(result, null, 'called back synchronously');
    assert.equal(spool.spooled, false);
    assert.ok(spool.toBuffer().equals(body));
    assert.deepEqual(readdirSync(dir), []);
  });

  it('moves a body past the threshold to an unlinked temporary file, written in order', async () => {
    const drained: number[] = [];
    const spool = new ContentSpool({
      threshold: 4096,
      directory: dir,
      onDrained: () => drained.push(spool.pending),
    });
    for (let i = 0; i < body.length; i += 1000) spool.write(body.subarray(i, i + 1000));
    assert.equal(spool.spooled, true);
    assert.equal(spool.pending, body.length, 'nothing is on disk yet');
    assert.throws(() => spool.toBuffer(), /not complete yet/);
    assert.equal(await ended(spool), null);
    assert.equal(spool.pending, 0);
    assert.equal(drained.at(-1), 0, 'onDrained once every byte was on disk');
    assert.deepEqual(readdirSync(dir), [], 'no name on disk holds the body');
    assert.ok(spool.toBuffer().equals(body));
    assert.equal(await text(spool.createReadStream()), body.toString());
    spool.dispose();
    assert.throws(() => spool.toBuffer(), /released when the response finished/);
  });

  it('keeps the file open for a stream already reading it when disposed', async () => {
    const spool = new ContentSpool({ threshold: 10, directory: dir });
    spool.write(body);
    assert.equal(await ended(spool), null);
    const stream = spool.createReadStream();
    spool.dispose();
    assert.equal(await text(stream), body.toString());
    assert.throws(() => spool.createReadStream(), /released/);
  });

  it('spools from the first byte a body announced past the threshold', async () => {
    const spool = new ContentSpool({ threshold: 100, expectedLength: 101, directory: dir });
    assert.equal(spool.spooled, true);
    spool.write(Buffer.from('x'));
    assert.equal(await ended(spool), null);
    assert.equal(spool.toBuffer().toString(), 'x');
  });

  it('streams a body kept in memory, and stays readable after dispose', async () => {
    const spool = new ContentSpool({ threshold: 1 << 20 });
    spool.write(Buffer.from('small'));
    spool.dispose();
    assert.equal(await text(spool.createReadStream()), 'small');
    assert.equal(spool.toBuffer().toString(), 'small');
  });

  it('reports a temporary file that cannot be made, with the directory', async () => {
    const spool = new ContentSpool({ threshold: 1, directory: join(dir, 'missing') });
    spool.write(Buffer.from('abc'));
    const err = await ended(spool);
    assert.match(String(err?.message), /could not spool the request body to .*missing/);
    assert.throws(() => spool.toBuffer(), /could not spool/);
  });
});
