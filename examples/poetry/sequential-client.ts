/**
 * The synchronous model: download one poem, then the next, then the next. The code reads like
 * blocking code — each `await` waits for the current server before the next one is even
 * contacted — so the total time is the sum of the download times.
 *
 *     node --import tsx examples/poetry/sequential-client.ts [HOST:]PORT ...
 *
 * @module
 */
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { clientUsage, formatAddress, formatElapsed, type PoetryAddress, parseAddress } from './common.js';

/** Connects, reads until the server closes, and returns the poem; prints a line per chunk. */
async function getPoetry(task: number, address: PoetryAddress): Promise<Buffer> {
  const socket = connect(address.port, address.host);
  const chunks: Buffer[] = [];
  for await (const chunk of socket as AsyncIterable<Buffer>) {
    console.log(`Task ${task}: got ${chunk.length} bytes of poetry from ${formatAddress(address)}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length === 0) {
  console.log(clientUsage('sequential-client.ts', 'Downloads a poem from each server, one after another.'));
} else {
  const start = performance.now();
  let got = 0;
  for (const [i, address] of positionals.map(parseAddress).entries()) {
    try {
      const poem = await getPoetry(i + 1, address);
      console.log(`Task ${i + 1}: done, ${poem.length} bytes`);
      got++;
    } catch (err) {
      console.log(
        `Task ${i + 1}: failed to get poetry from ${formatAddress(address)}: ${(err as Error).message}`,
      );
    }
  }
  console.log(`Got ${got} poems in ${formatElapsed(performance.now() - start)}`);
}
