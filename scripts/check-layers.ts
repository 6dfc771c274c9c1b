// `npm run lint:layers`: keeps the layers' imports pointing one way, which
// Biome's import rules cannot say for relative paths (a `../db/store.ts` from
// src/core passes any package-name pattern). Every import, export-from and
// dynamic import() in src/ is resolved to the top-level folder it lands in
// and checked against the rules below; a violation prints file:line and the
// rule, and the exit code is 1. It reads files only; it never fixes them.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What each layer may not import, with the reason printed beside a violation. */
export const layerRules: Readonly<Record<string, { deny: readonly string[]; why: string }>> = {
  core: {
    deny: ['adapters', 'cli', 'config', 'db', 'demo', 'entry', 'generated', 'http', 'services'],
    why: 'src/core is pure: it imports nothing of the project outside src/core',
  },
  db: {
    deny: ['adapters', 'cli', 'demo', 'entry', 'http', 'services'],
    why: 'repositories read and write: they import no services, adapters, http, cli or entry',
  },
  services: {
    deny: ['adapters', 'cli', 'demo', 'entry', 'http'],
    why: 'services take ports: they import no adapters, http, cli or entry (wiring lives in src/entry)',
  },
  adapters: {
    deny: ['cli', 'demo', 'entry', 'http', 'services'],
    why: 'adapters implement ports: they import no services, http, cli or entry',
  },
  http: {
    deny: ['cli', 'demo', 'entry'],
    why: 'routes are handed their dependencies: they import no cli or entry',
  },
  demo: {
    deny: ['cli', 'http'],
    why: 'the demo acts through the verbs: it imports no routes or commands',
  },
  config: {
    deny: ['cli', 'demo', 'entry', 'http', 'services'],
    why: 'config parses files and env: it imports no services, http, cli or entry',
  },
};

export interface Violation {
  file: string;
  line: number;
  target: string;
  message: string;
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"`]*?\sfrom\s+['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

/** The import specifiers of one file's text, with the line each starts on. */
export function importsOf(text: string): { specifier: string; line: number }[] {
  const found: { specifier: string; line: number }[] = [];
  // Comments may mention paths; blank them, keeping line breaks so lines still count.
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment) => comment.replace(/[^\n]/g, ' '));
  for (const match of code.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier === undefined) continue;
    const offset = match.index + match[0].indexOf(specifier);
    found.push({ specifier, line: code.slice(0, offset).split('\n').length });
  }
  return found;
}

/** The top-level folder under `root` a path is in, or undefined outside it. */
function layerOf(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel.startsWith('..') || rel === '') return undefined;
  const [first] = rel.split(sep);
  return first !== undefined && rel.includes(sep) ? first : undefined;
}

/** Checks every .ts/.mjs file under `root` (a src/ folder); returns the violations. */
export async function checkLayers(root: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const file of await sourceFiles(root)) {
    const from = layerOf(root, file);
    const rule = from === undefined ? undefined : layerRules[from];
    if (!rule) continue;
    for (const { specifier, line } of importsOf(await readFile(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = layerOf(root, resolve(dirname(file), specifier));
      if (target !== undefined && rule.deny.includes(target)) {
        violations.push({
          file: relative(root, file),
          line,
          target: specifier,
          message: `${from} imports ${target}: ${rule.why}`,
        });
      }
    }
  }
  return violations;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sourceFiles(path)));
    else if (/\.(ts|mts|mjs|js)$/.test(entry.name)) files.push(path);
  }
  return files.sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? 'src');
  const violations = await checkLayers(root);
  for (const v of violations) console.error(`src/${v.file}:${v.line} imports '${v.target}': ${v.message}`);
  if (violations.length > 0) {
    console.error(`${violations.length} import(s) against the layer rules (scripts/check-layers.ts)`);
    process.exitCode = 1;
  } else {
    console.log('layers: every import points the allowed way');
  }
}
