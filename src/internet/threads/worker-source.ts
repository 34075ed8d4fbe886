/**
 * The program each pool worker runs, and the messages it exchanges with the pool. It is plain
 * JavaScript handed to `new Worker(source, { eval: true })`, so it runs the same from `dist/` and
 * from TypeScript sources under a loader.
 *
 * A task is a function's source text (rebuilt once per worker with an indirect `eval`, so it sees
 * only globals: no closures, no imports, no `this`) or a module URL and export name (loaded with
 * `import()`). Results and arguments travel by structured clone; a thrown error comes back as
 * `{ name, message, stack, code }`.
 *
 * @example
 * ```ts
 * const worker = new Worker(WORKER_SOURCE, { eval: true });
 * worker.postMessage({ id: 1, task: { kind: 'source', source: '(a, b) => a + b' }, args: [1, 2] });
 * ```
 * @module
 */

/** What the pool asks a worker to run. */
export type TaskSpec =
  | { readonly kind: 'source'; readonly source: string }
  | { readonly kind: 'module'; readonly url: string; readonly export: string };

/** A request to a worker. */
export interface WorkRequest {
  readonly id: number;
  readonly task: TaskSpec;
  readonly args: readonly unknown[];
}

/** An error as it crosses from a worker. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: unknown;
}

/** A worker's answer. */
export type WorkReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/**
 * The worker program (CommonJS script).
 *
 * @example
 * ```ts
 * new Worker(WORKER_SOURCE, { eval: true });
 * ```
 */
export const WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
// Code compiled with esbuild's keepNames (tsx) calls __name(); make it harmless here.
globalThis.__name ??= (target) => target;
const built = new Map();
async function load(task) {
  if (task.kind === 'source') {
    let f = built.get(task.source);
    if (f === undefined) {
      f = (0, eval)('(' + task.source + '\\n)');
      built.set(task.source, f);
    }
    if (typeof f !== 'function') throw new TypeError('The task source is not a function expression.');
    return f;
  }
  const mod = await import(task.url);
  const f = mod[task.export];
  if (typeof f !== 'function') throw new TypeError(task.url + ' has no function export ' + JSON.stringify(task.export) + '.');
  return f;
}
function serialize(e) {
  if (e instanceof Error) {
    const out = { name: e.name, message: e.message, stack: e.stack };
    if (e.code !== undefined) out.code = e.code;
    return out;
  }
  let text;
  try { text = typeof e === 'string' ? e : JSON.stringify(e); } catch { text = String(e); }
  return { name: 'Error', message: 'Non-Error value thrown: ' + text };
}
parentPort.on('message', async (msg) => {
  let reply;
  try {
    const f = await load(msg.task);
    reply = { id: msg.id, ok: true, result: await f(...msg.args) };
  } catch (e) {
    reply = { id: msg.id, ok: false, error: serialize(e) };
  }
  try {
    parentPort.postMessage(reply);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: serialize(e) });
  }
});
`;
