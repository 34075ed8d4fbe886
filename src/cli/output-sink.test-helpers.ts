/**
 * `OutputSink`: a `TwistIO` stdout/stderr for tests — collects what `twist` writes and lets a test
 * wait for a match.
 *
 * @example
 * ```ts
 * const stdout = new OutputSink();
 * const exit = main(['echo', '--listen', 'tcp:0'], { stdout, stderr: new OutputSink(), env: {} });
 * const port = Number((await stdout.waitFor(/listening on \S+:(\d+)/))[1]);
 * ```
 */
export class OutputSink {
  /** Everything written so far. */
  text = '';
  #waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];

  write(chunk: string): boolean {
    this.text += chunk;
    for (const w of [...this.#waiters]) {
      const m = this.text.match(w.re);
      if (m !== null) {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        w.resolve(m);
      }
    }
    return true;
  }

  /** The first match of `re` in what was written, now or once it is written. */
  waitFor(re: RegExp): Promise<RegExpMatchArray> {
    const m = this.text.match(re);
    if (m !== null) return Promise.resolve(m);
    return new Promise((resolve) => this.#waiters.push({ re, resolve }));
  }
}
