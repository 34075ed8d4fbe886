/**
 * `SystemEventTriggers`: the three-phase runner behind `addSystemEventTrigger` and
 * `fireSystemEvent`, shared by `NodeReactor` and `MemoryReactor` so both order and delay triggers
 * the same way. Firing an event runs its `before` triggers, then `during`, then `after`; a trigger
 * that returns a Deferred or a Promise holds the next phase back until it settles (that is how a
 * service finishes its shutdown work before the reactor closes the sockets). A trigger fires once:
 * firing the event again only runs triggers added since.
 *
 * @example
 * ```ts
 * import { SystemEventTriggers } from 'twisted-ts/internet';
 * const triggers = new SystemEventTriggers();
 * triggers.add('before', 'shutdown', () => service.stopService()); // may return a Deferred
 * triggers.add('during', 'shutdown', () => closeAllSockets());
 * triggers.fire('shutdown').addCallback(() => console.log('shut down'));
 * ```
 * @module
 */
import { Deferred } from './defer.js';
import { reportError } from './error-reporter.js';
import type { SystemEvent, SystemEventPhase, TriggerId } from './interfaces.js';

/**
 * One registered trigger, as `snapshot()` shows it (and as a `TriggerErrorHandler` gets it).
 *
 * @example
 * ```ts
 * for (const t of triggers.snapshot().before.shutdown) console.log(t.id, t.f.name);
 * ```
 */
export interface SystemEventTrigger {
  /** The id `add` returned, for `remove`. */
  readonly id: TriggerId;
  /** The phase it runs in. */
  readonly phase: SystemEventPhase;
  /** The event it belongs to. */
  readonly event: SystemEvent;
  /** The function to call. */
  readonly f: (...args: any[]) => unknown;
  /** The arguments `f` is called with. */
  readonly args: readonly unknown[];
}

/**
 * The pending triggers by phase, then by event, in the order they will run (Twisted's shape).
 *
 * @example
 * ```ts
 * const snap: SystemEventTriggersSnapshot = triggers.snapshot();
 * snap.during.shutdown.length; // triggers still to run while shutting down
 * ```
 */
export type SystemEventTriggersSnapshot = Record<SystemEventPhase, Record<SystemEvent, SystemEventTrigger[]>>;

/**
 * Receives an error thrown (or a rejection returned) by a trigger; the other triggers still run.
 *
 * @example
 * ```ts
 * const onError: TriggerErrorHandler = (err, t) => console.error(`${t.phase} ${t.event} trigger failed`, err);
 * const triggers = new SystemEventTriggers(onError);
 * ```
 */
export type TriggerErrorHandler = (err: unknown, trigger: SystemEventTrigger) => void;

const phases: readonly SystemEventPhase[] = ['before', 'during', 'after'];

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Triggers for the `startup` and `shutdown` system events, by phase.
 *
 * @example
 * ```ts
 * const triggers = new SystemEventTriggers((err) => log.failure('trigger', err));
 * const id = triggers.add('after', 'startup', () => console.log('running'));
 * triggers.remove(id);
 * ```
 */
export class SystemEventTriggers {
  readonly #pending = new Map<SystemEvent, Record<SystemEventPhase, SystemEventTrigger[]>>();
  readonly #firing = new Map<SystemEvent, Deferred<void>[]>();
  readonly #onError: TriggerErrorHandler;
  #nextId = 1;

  /**
   * @param onError where a failing trigger is reported (default: the engine's `reportError`).
   */
  constructor(onError?: TriggerErrorHandler) {
    this.#onError =
      onError ?? ((err, t) => reportError(err, `a '${t.phase} ${t.event}' system event trigger`));
  }

  /**
   * Adds `f(...args)` to `phase` of `event`; returns an id for `remove`. A trigger added to a phase
   * that is running now runs in that phase.
   *
   * @example
   * ```ts
   * triggers.add('before', 'shutdown', () => pool.close()); // pool.close() returns a Deferred
   * ```
   */
  add<A extends unknown[]>(
    phase: SystemEventPhase,
    event: SystemEvent,
    f: (...args: A) => unknown,
    ...args: A
  ): TriggerId {
    if (!phases.includes(phase)) throw new TypeError(`unknown system event phase: ${String(phase)}`);
    const id = this.#nextId++;
    this.#phasesOf(event)[phase].push({ id, phase, event, f: f as (...a: any[]) => unknown, args });
    return id;
  }

  /**
   * Removes a trigger that has not run yet. Throws if there is no such pending trigger.
   *
   * @example
   * ```ts
   * triggers.remove(id);
   * ```
   */
  remove(id: TriggerId): void {
    for (const byPhase of this.#pending.values()) {
      for (const phase of phases) {
        const list = byPhase[phase];
        const i = list.findIndex((t) => t.id === id);
        if (i >= 0) {
          list.splice(i, 1);
          return;
        }
      }
    }
    throw new RangeError(`there is no pending system event trigger with id ${id}`);
  }

  /**
   * The triggers that have not run yet, as `snapshot().before.shutdown` etc. (a copy).
   *
   * @example
   * ```ts
   * assert.equal(triggers.snapshot().before.shutdown.length, 1);
   * ```
   */
  snapshot(): SystemEventTriggersSnapshot {
    const out = {} as SystemEventTriggersSnapshot;
    for (const phase of phases) {
      out[phase] = {
        startup: [...(this.#pending.get('startup')?.[phase] ?? [])],
        shutdown: [...(this.#pending.get('shutdown')?.[phase] ?? [])],
      };
    }
    return out;
  }

  /**
   * True while `event` is being fired (between `fire()` and the end of its `after` phase).
   *
   * @example
   * ```ts
   * if (!triggers.isFiring('shutdown')) triggers.fire('shutdown');
   * ```
   */
  isFiring(event: SystemEvent): boolean {
    return this.#firing.has(event);
  }

  /**
   * Runs the `before`, `during` and `after` triggers of `event`, each phase waiting for the
   * Deferreds and Promises its triggers returned. Everything runs synchronously when no trigger
   * returns a pending result. `atDuring` runs first in the `during` phase (the reactor's own work:
   * marking itself running or stopped). Firing an event that is already firing joins the firing
   * in progress. The returned Deferred fires after the `after` phase; it never fails (trigger
   * errors go to `onError`).
   *
   * @example
   * ```ts
   * triggers.fire('shutdown', () => { running = false; }).addCallback(() => resolveRun());
   * ```
   */
  fire(event: SystemEvent, atDuring?: () => void): Deferred<void> {
    const done = new Deferred<void>();
    const waiters = this.#firing.get(event);
    if (waiters !== undefined) {
      waiters.push(done);
      return done;
    }
    this.#firing.set(event, [done]);
    this.#runPhase(event, 0, atDuring);
    return done;
  }

  #runPhase(event: SystemEvent, index: number, atDuring: (() => void) | undefined): void {
    const phase = phases[index];
    if (phase === undefined) {
      const waiters = this.#firing.get(event) ?? [];
      this.#firing.delete(event);
      for (const d of waiters) d.callback(undefined);
      return;
    }
    if (phase === 'during' && atDuring !== undefined) {
      try {
        atDuring();
      } catch (err) {
        reportError(err, `the reactor's own '${event}' work`);
      }
    }
    const list = this.#phasesOf(event)[phase];
    let outstanding = 1; // this loop itself; released once every trigger was called
    const settle = (): void => {
      outstanding--;
      if (outstanding === 0) this.#runPhase(event, index + 1, atDuring);
    };
    for (let trigger = list.shift(); trigger !== undefined; trigger = list.shift()) {
      const t = trigger;
      let result: unknown;
      try {
        result = t.f(...t.args);
      } catch (err) {
        this.#onError(err, t);
        continue;
      }
      if (result instanceof Deferred || isThenable(result)) {
        outstanding++;
        const d = result instanceof Deferred ? result : Deferred.fromPromise(result);
        d.addCallbacks(settle, (err: Error) => {
          this.#onError(err, t);
          settle();
        });
      }
    }
    settle();
  }

  #phasesOf(event: SystemEvent): Record<SystemEventPhase, SystemEventTrigger[]> {
    let byPhase = this.#pending.get(event);
    if (byPhase === undefined) {
      if (event !== 'startup' && event !== 'shutdown')
        throw new TypeError(`unknown system event: ${String(event)}`);
      byPhase = { before: [], during: [], after: [] };
      this.#pending.set(event, byPhase);
    }
    return byPhase;
  }
}
