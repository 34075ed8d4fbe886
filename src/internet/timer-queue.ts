/**
 * `TimerQueue`: the pending `callLater` calls of a `NodeReactor`, kept in a heap ordered by
 * `getTime()` and driven by one Node timer armed for the earliest. Like Twisted's reactor, every
 * time the timer fires it runs the calls that are due, in time order (calls due at the same time in
 * the order they were scheduled), so the order never depends on how Node's timers, whose clock is
 * the loop's cached time, compare with `seconds()`.
 *
 * Moving a call later (`reset`/`delay`, as idle timeouts do on every chunk) costs nothing: the heap
 * entry stays, and is pushed back with the new time when it comes up. Cancelled entries are dropped
 * when they come up, or all at once when they outnumber the live ones.
 *
 * The Node timer holds the process open only while some live call does (`DelayedCall.unref()`
 * lets a cache's sweep, say, never be the reason a process stays up): a count of live ref'd calls
 * decides, so scheduling stays O(log n).
 *
 * @example
 * ```ts
 * const queue = new TimerQueue(() => performance.now() / 1000);
 * const call = new DelayedCall(queue.seconds() + 1, f, [], scheduler);
 * queue.add(call);
 * ```
 * @module
 */
import type { AnyDelayedCall } from './delayed-call.js';
import { reportError } from './error-reporter.js';

/** Node's longest timer (about 24.8 days); longer delays are re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How early (seconds) a call may run: Node's timers have millisecond granularity. */
const EARLY = 0.001;

interface Entry {
  readonly call: AnyDelayedCall;
  readonly time: number;
  readonly seq: number;
}

function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * The timed calls of one reactor.
 *
 * @example
 * ```ts
 * const queue = new TimerQueue(() => reactor.seconds());
 * ```
 */
export class TimerQueue {
  readonly seconds: () => number;
  #heap: Entry[] = [];
  readonly #live = new Map<AnyDelayedCall, Entry>();
  #seq = 0;
  #timer: NodeJS.Timeout | null = null;
  #armedFor = Number.POSITIVE_INFINITY;
  #stopped = false;
  /** Live calls that hold the process open (`hasRef()`). */
  #refs = 0;

  /**
   * An empty queue reading time from `seconds`.
   *
   * @example
   * ```ts
   * new TimerQueue(() => performance.now() / 1000);
   * ```
   */
  constructor(seconds: () => number) {
    this.seconds = seconds;
  }

  /**
   * Schedules `call` for its `getTime()`.
   *
   * @example
   * ```ts
   * queue.add(call);
   * ```
   */
  add(call: AnyDelayedCall): void {
    if (call.hasRef()) this.#refs++;
    this.#push(call);
    this.#arm();
  }

  /**
   * Forgets a cancelled call.
   *
   * @example
   * ```ts
   * queue.cancelled(call);
   * ```
   */
  cancelled(call: AnyDelayedCall): void {
    if (this.#live.delete(call) && call.hasRef()) this.#refs--;
    this.#applyRef();
    if (this.#live.size === 0) {
      this.#heap = [];
      this.#disarm();
    } else if (this.#heap.length > 64 && this.#heap.length > 2 * this.#live.size) {
      this.#heap = [...this.#live.values()].sort((a, b) => (before(a, b) ? -1 : 1));
    }
  }

  /**
   * Takes a new `getTime()` of `call` into account.
   *
   * @example
   * ```ts
   * queue.rescheduled(call);
   * ```
   */
  rescheduled(call: AnyDelayedCall): void {
    const entry = this.#live.get(call);
    if (entry === undefined || call.getTime() >= entry.time) return; // later: re-pushed when it comes up
    this.#push(call);
    this.#arm();
  }

  /**
   * Takes a call's `ref()`/`unref()` into account.
   *
   * @example
   * ```ts
   * queue.refChanged(call);
   * ```
   */
  refChanged(call: AnyDelayedCall): void {
    if (!this.#live.has(call)) return;
    this.#refs += call.hasRef() ? 1 : -1;
    this.#applyRef();
  }

  /**
   * The calls scheduled and not yet run or cancelled.
   *
   * @example
   * ```ts
   * queue.pending().length;
   * ```
   */
  pending(): AnyDelayedCall[] {
    return [...this.#live.keys()];
  }

  /**
   * Never runs another call: the pending ones stay pending (and listed) forever.
   *
   * @example
   * ```ts
   * queue.stop();
   * ```
   */
  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #push(call: AnyDelayedCall): void {
    const entry: Entry = { call, time: call.getTime(), seq: ++this.#seq };
    this.#live.set(call, entry);
    const heap = this.#heap;
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }

  /** The earliest live entry, dropping the stale ones above it. */
  #top(): Entry | undefined {
    const heap = this.#heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (this.#live.get(top.call) === top) return top;
      this.#pop();
    }
    return undefined;
  }

  #arm(): void {
    if (this.#stopped) return;
    const top = this.#top();
    if (top === undefined) {
      this.#disarm();
      return;
    }
    if (this.#timer !== null && this.#armedFor <= top.time) return;
    this.#disarm();
    const ms = Math.ceil((top.time - this.seconds()) * 1000);
    this.#timer = setTimeout(this.#fire, Math.min(Math.max(ms, 1), MAX_TIMER_MS));
    this.#armedFor = top.time;
    this.#applyRef();
  }

  /** The Node timer holds the process open exactly while a live call does. */
  #applyRef(): void {
    if (this.#timer === null) return;
    if (this.#refs > 0) this.#timer.ref();
    else this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  readonly #fire = (): void => {
    this.#timer = null;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = this.seconds();
    const lastSeq = this.#seq; // calls scheduled while these run wait for the next turn
    for (let top = this.#top(); top !== undefined; top = this.#top()) {
      if (top.time > now + EARLY || top.seq > lastSeq) break;
      this.#pop();
      const call = top.call;
      if (call.getTime() > top.time) {
        this.#push(call); // moved later since it was pushed
        continue;
      }
      this.#live.delete(call);
      if (call.hasRef()) this.#refs--;
      try {
        call.call();
      } catch (err) {
        reportError(err, 'a delayed call');
      }
      if (this.#stopped) return;
    }
    this.#arm();
    this.#applyRef(); // a call that ran may have been the last ref'd one after a call re-armed the timer
  };
}
