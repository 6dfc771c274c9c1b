// One owner per definition: the units of time live in src/core/time.ts, and
// no other file in src/ spells a day or an hour out in milliseconds.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '../../../src');

async function sourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await sourceFiles(path)));
    else if (/\.(ts|mjs)$/.test(entry.name)) found.push(path);
  }
  return found;
}

describe('units of time', () => {
  it('are defined once, in src/core/time.ts', async () => {
    const spelled: string[] = [];
    for (const file of await sourceFiles(src)) {
      const rel = relative(src, file);
      if (rel === join('core', 'time.ts') || rel.startsWith('generated')) continue;
      const text = await readFile(file, 'utf8');
      for (const [index, line] of text.split('\n').entries()) {
        if (/\b(86_?400_?000|3_?600_?000)\b|\bconst (dayMs|hourMs|minuteMs)\b/.test(line))
          spelled.push(`${rel}:${index + 1}`);
      }
    }
    expect(spelled).toEqual([]);
  });
});
