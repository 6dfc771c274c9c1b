// The Worker's MessageRenderer: templates compiled at build time
// (src/generated/email-templates.ts, written by scripts/bundle-templates.ts),
// filled per recipient with Liquid. Never runs MJML and imports nothing from
// node:*, so it runs in workerd without nodejs_compat.
import type { MessageRenderer } from '../../core/rendering/contract.ts';
import type { CompiledTemplate } from './compiled-template.ts';
import { createTemplateFiller } from './fill-template.ts';

export function createPrecompiledRenderer(
  templates: Readonly<Record<string, CompiledTemplate>>,
): MessageRenderer {
  const filler = createTemplateFiller();
  return {
    async render(template, subject, view) {
      const compiled = Object.hasOwn(templates, template) ? templates[template] : undefined;
      if (!compiled) {
        // Campaign files are validated against the emails folder the bundle was built from.
        throw new Error(`template '${template}' is not in the Worker bundle; run npm run build:worker`);
      }
      return filler.fill(compiled, subject, view);
    },
  };
}
