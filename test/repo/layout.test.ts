/**
 * Repository rules that review alone would miss (ARCHITECTURE §3–4):
 * - a `codec/` folder is pure: no engine, sockets, timers or global reactor;
 * - the areas under `src/` (internet, protocols, web, …) import each other without cycles.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { after, describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** The module specifiers a file imports or re-exports (type-only and side-effect imports included). */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(importPattern)) found.push((m[1] ?? m[2] ?? m[3]) as string);
  return found;
}

/** Resolves a relative specifier to a path inside src, or null for packages and node: modules. */
function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return normalize(join(dirname(from), spec.replace(/\.js$/, '.ts')));
}

const forbiddenInCodec = ['node:net', 'node:tls', 'node:dgram', 'node:timers', 'node:timers/promises'];
const timerCall = /\b(setTimeout|setInterval|setImmediate)\s*\(/;

/** The rule violations of one codec file (`file`: its absolute path under `src`), as messages. */
export function codecViolations(src: string, file: string, text: string): string[] {
  const problems: string[] = [];
  for (const spec of importsOf(text)) {
    if (forbiddenInCodec.includes(spec) || ['net', 'tls', 'dgram', 'timers'].includes(spec)) {
      problems.push(`${file} imports ${spec}`);
    }
    if (spec === 'twisted-ts/internet' || spec.startsWith('twisted-ts/internet/')) {
      problems.push(`${file} imports the engine (${spec})`);
    }
    const target = resolveLocal(file, spec);
    if (target === null) continue;
    const rel = relative(src, target).split(sep);
    if (rel[0] === 'internet') problems.push(`${file} imports the engine (${spec})`);
    if (!rel.includes('codec')) problems.push(`${file} imports ${spec}, outside any codec/ folder`);
  }
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  if (timerCall.test(code)) problems.push(`${file} uses a timer`);
  if (/\breactor\b/.test(code)) problems.push(`${file} mentions the reactor`);
  return problems;
}

/** The area of a file under src: its first folder (`internet`, `web`, `protocols`…). */
function areaOf(src: string, path: string): string {
  return relative(src, path).split(sep)[0] ?? '';
}

/** Returns one cycle in a directed graph, or null. */
export function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (state.get(node) === undefined) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

/** Every violation of the codec rule in the tree under `src`, as messages. */
export function codecProblems(src: string): string[] {
  const codecFiles = sourceFiles(src).filter((f) => relative(src, f).split(sep).includes('codec'));
  return codecFiles.flatMap((f) =>
    codecViolations(src, f, readFileSync(f, 'utf8')).map((p) => p.replace(src, 'src')),
  );
}

/** One cycle in the import graph between the areas under `src`, or null. */
export function areaCycle(src: string): string[] | null {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(src)) {
    const from = areaOf(src, file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolveLocal(file, spec);
      if (target === null) continue;
      const to = areaOf(src, target);
      if (to !== from) edges.add(to);
    }
  }
  return findCycle(graph);
}

describe('repository layout', () => {
  const src = join(root, 'src');

  it('keeps every codec/ folder free of the engine, sockets, timers and the reactor', () => {
    assert.deepEqual(codecProblems(src), []);
  });

  it('keeps the import graph between areas acyclic', () => {
    assert.equal(areaCycle(src), null);
  });
});

describe('the layout checks on a tree with violations', () => {
  const fixture = mkdtempSync(join(tmpdir(), 'twisted-ts-layout-'));
  after(() => rmSync(fixture, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  };
  write('internet/defer.ts', 'export class Deferred {}\n');
  write('internet/default-reactor.ts', 'export const reactor = {};\n');
  write('web/http/codec/clean.ts', "import { Buffer } from 'node:buffer';\nimport { x } from './y.js';\n");
  write('web/http/codec/y.ts', 'export const x = 1; // setTimeout( in a comment is fine\n');
  write('web/http/server.ts', "import { Deferred } from '../../internet/defer.js';\n");

  it('passes a clean tree', () => {
    assert.deepEqual(codecProblems(fixture), []);
    assert.equal(areaCycle(fixture), null);
  });

  it('reports each forbidden import, timer and reactor use in a codec', () => {
    write(
      'web/http/codec/bad.ts',
      [
        "import net from 'node:net';",
        "import type { TLSSocket } from 'node:tls';",
        "import * as dgram from 'dgram';",
        "import 'node:timers';",
        "import { Deferred } from '../../../internet/defer.js';",
        "import { reactor } from '../../../internet/default-reactor.js';",
        "export { handle } from '../server.js';",
        "import { callLater } from 'twisted-ts/internet';",
        'export const later = () => setImmediate(() => reactor);',
        '',
      ].join('\n'),
    );
    try {
      const problems = codecProblems(fixture);
      for (const expected of [
        'imports node:net',
        'imports node:tls',
        'imports dgram',
        'imports node:timers',
        'imports the engine (../../../internet/defer.js)',
        'imports the engine (../../../internet/default-reactor.js)',
        'imports ../server.js, outside any codec/ folder',
        'imports the engine (twisted-ts/internet)',
        'uses a timer',
        'mentions the reactor',
      ]) {
        assert.ok(
          problems.some((p) => p.startsWith('src/web/http/codec/bad.ts') && p.includes(expected)),
          expected,
        );
      }
    } finally {
      rmSync(join(fixture, 'web/http/codec/bad.ts'));
    }
  });

  it('reports a cycle between areas, through type-only imports too', () => {
    write('internet/uses-web.ts', "import type { Server } from '../web/http/server.js';\n");
    try {
      assert.deepEqual(areaCycle(fixture), ['internet', 'web', 'internet']);
    } finally {
      rmSync(join(fixture, 'internet/uses-web.ts'));
    }
    assert.equal(areaCycle(fixture), null);
  });

  it('finds a cycle of any length in a graph', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    assert.deepEqual(findCycle(graph), ['a', 'b', 'c', 'a']);
    assert.equal(findCycle(new Map([['a', new Set(['b'])]])), null);
  });
});
