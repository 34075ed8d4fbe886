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
        assert.ok(readFileSync(path, 'utf8').includes(code), `${page.name}: the block from ${path} drifted`);
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
