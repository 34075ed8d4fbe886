/**
 * `twisted-ts/internet/task`: scheduling helpers over an `IReactorTime` — `LoopingCall`,
 * `deferLater`, `Cooperator`/`cooperate`/`coiterate`. Every one takes its clock as a parameter
 * (defaulting to the global reactor), so tests drive them with `Clock`.
 *
 * @example
 * ```ts
 * import { LoopingCall, deferLater } from 'twisted-ts/internet/task';
 * ```
 * @module
 */
export * from './cooperator.js';
export * from './defer-later.js';
export * from './looping-call.js';
