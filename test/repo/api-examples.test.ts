/**
 * Every public API has a usage example: each class, function, interface, type and constant that a
 * subpath export (`typedoc.json`'s entry points) makes public carries an `@example` in its doc
 * comment. TypeDoc (`npm run docs`) already fails on a public symbol without a doc comment; it has
 * no rule for examples, so this test is that rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const entryPoints: string[] = JSON.parse(readFileSync('typedoc.json', 'utf8')).entryPoints;

/** The declaration that carries the doc comment of an exported symbol, if it is of a kind we check. */
function documentedNode(declaration: ts.Declaration): ts.Node | undefined {
  if (ts.isVariableDeclaration(declaration)) return declaration.parent.parent;
  if (
    ts.isClassDeclaration(declaration) ||
    ts.isFunctionDeclaration(declaration) ||
    ts.isInterfaceDeclaration(declaration) ||
    ts.isTypeAliasDeclaration(declaration) ||
    ts.isEnumDeclaration(declaration)
  ) {
    return declaration;
  }
  return undefined;
}

/** `file: name` of every public symbol, reached from `entries`, whose doc comment has no `@example`. */
function publicSymbolsWithoutExample(entries: readonly string[]): string[] {
  const program = ts.createProgram([...entries], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const missing = new Set<string>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    assert.ok(source, `${entry} is not in the program`);
    const module = checker.getSymbolAtLocation(source);
    assert.ok(module, `${entry} is not a module`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const first = symbol.declarations?.[0];
      const node = first === undefined ? undefined : documentedNode(first);
      if (node === undefined) continue;
      const tags = (symbol.declarations ?? [])
        .map(documentedNode)
        .flatMap((n) => (n === undefined ? [] : ts.getJSDocTags(n)));
      if (!tags.some((t) => t.tagName.text === 'example')) {
        missing.add(`${relative('.', node.getSourceFile().fileName)}: ${exported.name}`);
      }
    }
  }
  return [...missing].sort();
}

describe('the public API', () => {
  it('has an @example on every exported class, function, interface, type and constant', () => {
    assert.deepEqual(publicSymbolsWithoutExample(entryPoints), []);
  });
});
