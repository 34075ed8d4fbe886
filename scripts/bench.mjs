#!/usr/bin/env node
// `npm run bench -- NAME [args...]` runs bench/NAME.ts, which prints its figures and the ratio
// to its comparator measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (!name || !existsSync(`bench/${name}.ts`)) {
  console.error(`usage: npm run bench -- NAME\navailable: ${available.join(', ')}`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `bench/${name}.ts`, ...rest], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
