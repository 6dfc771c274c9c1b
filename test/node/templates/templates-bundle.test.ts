// The Worker's templates: the built src/generated/email-templates.ts is
// what compiling emails/ gives today, renders like the Node renderer, and the
// Worker's render path bundles for workerd without a single node:* import.
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { compileFolder } from '../../../src/adapters/templates/bundle.ts';
import { compileFastLiquid } from '../../../src/adapters/templates/fast-liquid.ts';
import { createMjmlRenderer } from '../../../src/adapters/templates/mjml-renderer.ts';
import { createPrecompiledRenderer } from '../../../src/adapters/templates/precompiled-renderer.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { sampleView } from '../../../src/core/rendering/sample-view.ts';
import { emailTemplates } from '../../../src/generated/email-templates.ts';

describe('precompiled templates for the Worker', () => {
  it('are what compiling emails/ gives', async () => {
    const compiled = await compileFolder('emails');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    expect(Object.keys(emailTemplates).sort()).toEqual(Object.keys(compiled.templates).sort());
    for (const [name, template] of Object.entries(compiled.templates)) {
      expect(emailTemplates[name], name).toEqual(template);
    }
    // Every shipped template takes the fast Liquid path, not the liquidjs fallback.
    for (const template of Object.values(emailTemplates)) {
      expect(compileFastLiquid(template.html, { escape: true })).not.toBeNull();
      expect(compileFastLiquid(template.text, { escape: false })).not.toBeNull();
    }
  });

  it('render exactly what the Node renderer renders', async () => {
    const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
    if (!loaded.ok) throw new Error('campaigns');
    const node = createMjmlRenderer({ emailsDir: 'emails' });
    const worker = createPrecompiledRenderer(emailTemplates);
    for (const campaign of loaded.set.campaigns) {
      for (const step of campaign.steps) {
        const view = sampleView(campaign, loaded.set.settings, {
          step: step.index,
          now: Date.UTC(2026, 10, 1),
        });
        expect(await worker.render(step.email.template, step.email.subject, view)).toEqual(
          await node.render(step.email.template, step.email.subject, view),
        );
      }
    }
    await expect(
      worker.render('nope.mjml', 's', sampleView(loaded.set.campaigns[0]!, loaded.set.settings)),
    ).rejects.toThrow(/not in the Worker bundle/);
  });

  it('bundle for workerd without node:* (wrangler.toml has no nodejs_compat)', async () => {
    // Wrangler's own esbuild settings for a Worker without nodejs_compat: esbuild's default
    // browser platform and the workerd conditions, so a node:* import fails the build.
    const result = await build({
      entryPoints: [join('test', 'node', 'support', 'worker-render-entry.ts')],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.includes('liquid.browser'))).toBe(true);
    expect(inputs.filter((path) => path.startsWith('node:') || path.includes('mjml'))).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });
});
