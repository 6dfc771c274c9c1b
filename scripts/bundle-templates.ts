// Precompiles emails/*.mjml for the Worker: writes src/generated/email-templates.ts
// (template name -> HTML with Liquid + its text twin), so the Worker fills
// templates with Liquid and never runs MJML. Part of `npm run build:worker`;
// test/node/templates/templates-bundle.test.ts fails when the committed file is stale.
// Exits 1 without writing when a template does not compile.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
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
  await writeFile(out, generatedModule(compiled.templates));
  // The committed file must pass `biome check` like any other source file.
  execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['format', '--write', out], { stdio: 'ignore' });
  process.stderr.write(`wrote ${Object.keys(compiled.templates).length} templates to ${out}\n`);
}
