#!/usr/bin/env node
// `npm run build` compiles src/ to dist/ and marks the package's bins executable. tsc writes
// files with mode 0644; a bin that npm has not linked itself (an `npx` cache entry made for an
// earlier build of the same checkout, a `node_modules/.bin` link kept across a rebuild) is then
// run without the executable bit and the shell answers "Permission denied".
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

const { bin } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const file of Object.values(bin ?? {})) chmodSync(file, 0o755);
