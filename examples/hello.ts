/**
 * The smallest reactor program: print a greeting once the reactor runs, then stop it.
 *
 *     node --import tsx examples/hello.ts [--name NAME]
 */
import { parseArgs } from 'node:util';
import { reactor } from '../src/internet/index.js';

const { values } = parseArgs({
  options: { name: { type: 'string', default: 'world' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/hello.ts [--name NAME]\nPrints a greeting from inside the reactor.',
  );
} else {
  reactor.callWhenRunning(() => {
    console.log(`Hello, ${values.name}!`);
    reactor.stop();
  });
  await reactor.run();
}
