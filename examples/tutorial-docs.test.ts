import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const DIR = 'docs/tutorial';
const pages = readdirSync(DIR)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => ({ name: `${DIR}/${f}`, text: readFileSync(`${DIR}/${f}`, 'utf8') }));

/** Every `<!-- include: PATH -->` followed by a fenced block: the quoted file and the quoted code. */
function includes(text: string): { path: string; code: string }[] {
  const re = /<!-- include: (\S+) -->\n```[a-z]*\n([\s\S]*?)```\n/g;
  return [...text.matchAll(re)].map((m) => ({ path: m[1]!, code: m[2]! }));
}

/** The lines of `text` without their common leading indentation. */
function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const common = Math.min(...indents);
  return lines.map((l) => l.slice(common));
}

/**
 * True when `code` is a run of whole lines of `file`, up to a common indentation (the formatter
 * dedents code quoted from inside a block).
 */
function isExcerpt(code: string, file: string): boolean {
  const block = dedent(code.replace(/\n$/, '').split('\n')).join('\n');
  const lines = file.split('\n');
  const n = block.split('\n').length;
  for (let i = 0; i + n <= lines.length; i++) {
    if (dedent(lines.slice(i, i + n)).join('\n') === block) return true;
  }
  return false;
}

describe('docs/tutorial', () => {
  it('has the index and the nine pages, in order', () => {
    assert.deepEqual(
      pages.map((p) => p.name.slice(DIR.length + 1, DIR.length + 3)),
      ['01', '02', '03', '04', '05', '06', '07', '08', '09', 'RE'],
    );
  });

  it('quotes code only as exact excerpts of the example files it names', () => {
    let quoted = 0;
    for (const page of pages) {
      const tags = page.text.match(/<!-- include: /g)?.length ?? 0;
      const blocks = includes(page.text);
      assert.equal(blocks.length, tags, `${page.name}: an include comment not followed by a fenced block`);
      for (const { path, code } of blocks) {
        assert.ok(existsSync(path), `${page.name}: ${path} does not exist`);
        assert.ok(
          isExcerpt(code, readFileSync(path, 'utf8')),
          `${page.name}: the block from ${path} drifted`,
        );
        quoted++;
      }
    }
    assert.ok(quoted >= 9, `only ${quoted} quoted blocks`);
  });

  it('links only to example and doc files that exist', () => {
    for (const page of pages) {
      for (const [, path] of page.text.matchAll(/\]\(((?:\.\.\/)+[^)#\s]+)/g)) {
        const resolved = new URL(path!, `file://${process.cwd()}/${page.name}`);
        assert.ok(existsSync(resolved), `${page.name}: broken link ${path}`);
      }
    }
  });
});
