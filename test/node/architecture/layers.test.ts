// The layer rule (scripts/check-layers.ts): the real tree obeys it, and a tree
// built here with one forbidden import of each kind is caught at the right line.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLayers, importsOf } from '../../../scripts/check-layers.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'rekindle-layers-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('layer rule', () => {
  it('src/ has no import against the rules', async () => {
    expect(await checkLayers(join(import.meta.dirname, '../../../src'))).toEqual([]);
  });

  it('catches a relative import from core into db, which a package pattern lets through', async () => {
    const root = await tree({
      'core/rule.ts': "import { z } from 'zod';\n\nimport type { Store } from '../db/store.ts';\n",
      'db/store.ts': 'export type Store = unknown;\n',
    });
    const found = await checkLayers(root);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: join('core', 'rule.ts'), line: 3, target: '../db/store.ts' });
    expect(found[0]!.message).toMatch(/core imports db/);
  });

  it('catches services importing an adapter, db importing a service, and dynamic imports', async () => {
    const root = await tree({
      'services/send.ts': "export { smtp } from '../adapters/smtp.ts';\n",
      'db/repo.ts': "const verb = await import('../services/send.ts');\n",
      'adapters/smtp.ts': 'export const smtp = 1;\n',
      'entry/node.ts': "import '../adapters/smtp.ts';\nimport '../services/send.ts';\n",
    });
    const found = await checkLayers(root);
    expect(found.map((v) => `${v.file}:${v.line}`).sort()).toEqual(
      [join('db', 'repo.ts:1'), join('services', 'send.ts:1')].sort(),
    );
  });

  it('reads import forms and ignores paths in comments', () => {
    const text = [
      '// import x from "../db/a.ts"',
      'import {',
      '  a,',
      "} from '../db/b.ts';",
      "export * from './c.ts';",
      "/* import('../db/d.ts') */",
      "import './side.ts';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { specifier: '../db/b.ts', line: 4 },
      { specifier: './c.ts', line: 5 },
      { specifier: './side.ts', line: 7 },
    ]);
  });
});
