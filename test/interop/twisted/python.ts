/**
 * Runs the Debian system Python (the one that can `import twisted`) for the interop tests.
 *
 * @example
 * ```ts
 * await requireTwisted();
 * const py = runPython('echo_client.py', ['8000', '1000']);
 * ```
 * @module
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The interpreter with python3-twisted (not a pyenv python3 earlier on PATH). */
export const PYTHON = '/usr/bin/python3';

/**
 * Throws, naming the install command, when the system Python cannot import Twisted.
 *
 * @example
 * ```ts
 * before(requireTwisted);
 * ```
 */
export function requireTwisted(): void {
  const r = spawnSync(PYTHON, ['-c', 'import twisted; print(twisted.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `${PYTHON} cannot import twisted (${(r.stderr || String(r.error)).trim()}); ` +
        'install it with: apt-get install python3-twisted',
    );
  }
}

/** A running Python script and its collected output. */
export interface PythonRun {
  readonly process: ChildProcessWithoutNullStreams;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves with the first match of `re` in stdout. */
  line(re: RegExp): Promise<RegExpExecArray>;
}

/**
 * Starts `PYTHON script args…` where `script` is a file beside this module.
 *
 * @example
 * ```ts
 * const { stdout } = await runPython('timestamp_client.py', [String(port)]).done;
 * ```
 */
export function runPython(script: string, args: readonly string[]): PythonRun {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawn(PYTHON, [path, ...args]);
  let stdout = '';
  let stderr = '';
  const watchers: { re: RegExp; resolve(m: RegExpExecArray): void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    for (const w of [...watchers]) {
      const m = w.re.exec(stdout);
      if (m) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const line = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      watchers.push({ re, resolve });
      void done.then((o) => reject(new Error(`${script} exited before printing ${re}: ${o.stderr}`)));
    });
  return { process: child, done, line };
}
