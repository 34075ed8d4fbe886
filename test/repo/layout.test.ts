/**
 * Repository rules that review alone would miss (ARCHITECTURE §3–4):
 * - a `codec/` folder is pure: no engine, sockets, timers or global reactor;
 * - the areas under `src/` (internet, protocols, web, …) import each other without cycles.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers a file imports or re-exports (type-only imports included). */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(importPattern)) found.push((m[1] ?? m[2]) as string);
  return found;
}

/** Resolves a relative specifier to a path inside src, or null for packages and node: modules. */
function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return normalize(join(dirname(from), spec.replace(/\.js$/, '.ts')));
}

const forbiddenInCodec = ['node:net', 'node:tls', 'node:dgram', 'node:timers', 'node:timers/promises'];
const timerCall = /\b(setTimeout|setInterval|setImmediate)\s*\(/;

/** The rule violations of one codec file, as messages. */
export function codecViolations(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const spec of importsOf(text)) {
    if (forbiddenInCodec.includes(spec) || ['net', 'tls', 'dgram', 'timers'].includes(spec)) {
      problems.push(`${file} imports ${spec}`);
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
function areaOf(path: string): string {
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

describe('repository layout', () => {
  const files = sourceFiles(src);

  it('keeps every codec/ folder free of the engine, sockets, timers and the reactor', () => {
    const codecFiles = files.filter((f) => relative(src, f).split(sep).includes('codec'));
    const problems = codecFiles.flatMap((f) => codecViolations(relative(root, f), readFileSync(f, 'utf8')));
    assert.deepEqual(problems, []);
  });

  it('keeps the import graph between areas acyclic', () => {
    const graph = new Map<string, Set<string>>();
    for (const file of files) {
      const from = areaOf(file);
      const edges = graph.get(from) ?? new Set<string>();
      graph.set(from, edges);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const target = resolveLocal(file, spec);
        if (target === null) continue;
        const to = areaOf(target);
        if (to !== from) edges.add(to);
      }
    }
    assert.equal(findCycle(graph), null);
  });

  it('detects a codec that imports node:net or the engine', () => {
    const file = join(src, 'web', 'http', 'codec', 'x.ts');
    const text =
      "import net from 'node:net';\nimport { reactor } from '../../../internet/default-reactor.js';\n";
    assert.equal(codecViolations(file, text).length, 4);
    assert.deepEqual(
      codecViolations(file, "import { Buffer } from 'node:buffer';\nimport { a } from './b.js';\n"),
      [],
    );
  });

  it('detects a cycle between areas', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    assert.deepEqual(findCycle(graph), ['a', 'b', 'c', 'a']);
    assert.equal(findCycle(new Map([['a', new Set(['b'])]])), null);
  });
});
