// Precompiles emails/*.mjml for the Worker: writes src/generated/email-templates.ts
// (template name -> HTML with Liquid + its text twin), so the Worker fills
// templates with Liquid and never runs MJML. Part of `npm run build:worker`;
// its output is not committed (gitignored): wrangler, `npm run typecheck` and
// vitest run it first.
// Exits 1 without writing when a template does not compile.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileFolder, generatedModule } from '../src/adapters/templates/bundle.ts';

const root = join(import.meta.dirname, '..');
const emailsDir = process.argv[2] ?? join(root, 'emails');
const out = join(root, 'src', 'generated', 'email-templates.ts');

const compiled = await compileFolder(emailsDir);
if (!compiled.ok) {
  for (const p of compiled.problems)
    process.stderr.write(`${join(emailsDir, p.file)}:${p.line}:${p.column} ${p.message}\n`);
  process.exitCode = 1;
} else {
  await mkdir(join(root, 'src', 'generated'), { recursive: true });
  await writeFile(out, generatedModule(compiled.templates));
  process.stderr.write(`wrote ${Object.keys(compiled.templates).length} templates to ${out}\n`);
}
