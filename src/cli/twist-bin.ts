#!/usr/bin/env node
/**
 * The `twist` executable: runs `main` with the process's arguments and streams and sets the exit
 * code (no `process.exit`: the process ends once everything is closed).
 *
 * @example
 * ```sh
 * twist echo --listen tcp:7000:interface=127.0.0.1
 * ```
 * @module
 */
import { main } from './twist.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
