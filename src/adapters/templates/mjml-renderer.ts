// The Node home's MessageRenderer: reads a template and its partials from the
// emails folder once, compiles the MJML once per distinct content (the cache
// is keyed by the SHA-256 of the resolved source), then fills only Liquid per
// recipient. `forget()` drops what was read, e.g. after the files changed.
import type { MessageRenderer } from '../../core/rendering/contract.ts';
import { type CompileResult, compileMjml, sha256Hex } from './compile-mjml.ts';
import { createTemplateFiller } from './fill-template.ts';
import { createLiquidEngines } from './liquid-engines.ts';
import { resolvePartials, type SourceReader, type TemplateProblem } from './partials.ts';
import { folderReader, isTemplateName } from './template-files.ts';

export type TemplateOutcome =
  | CompileResult
  /** The template or one of its partials could not be read or resolved. */
  | { ok: false; problems: TemplateProblem[]; source: null };

export interface MjmlRenderer extends MessageRenderer {
  compile(template: string): Promise<TemplateOutcome>;
  forget(): void;
  /** How many times MJML ran: for tests and the benchmark. */
  readonly compilations: number;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    readonly template: string,
    readonly problems: TemplateProblem[],
  ) {
    super(
      `template ${template} does not compile: ${problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`).join('; ')}`,
    );
  }
}

export function createMjmlRenderer(options: { emailsDir: string } | { reader: SourceReader }): MjmlRenderer {
  const reader = 'reader' in options ? options.reader : folderReader(options.emailsDir);
  const engines = createLiquidEngines();
  const filler = createTemplateFiller(engines);
  const byHash = new Map<string, Promise<CompileResult>>();
  let byName = new Map<string, Promise<TemplateOutcome>>();
  // The same outcomes once settled, so a render need not wait a turn for one.
  let settled = new Map<string, TemplateOutcome>();
  let compilations = 0;

  async function load(template: string): Promise<TemplateOutcome> {
    if (!isTemplateName(template)) {
      const message = `'${template}' is not a template file name like winback.mjml`;
      return { ok: false, problems: [{ file: template, line: 1, column: 1, message }], source: null };
    }
    const resolved = await resolvePartials(template, reader);
    if (!resolved.ok) return { ...resolved, source: null };
    const hash = await sha256Hex(resolved.source.text);
    let compiled = byHash.get(hash);
    if (!compiled) {
      compilations++;
      compiled = compileMjml(resolved.source, engines);
      byHash.set(hash, compiled);
    }
    // Identical content under another name compiles once too; the output does not depend on the name.
    return compiled;
  }

  const renderer: MjmlRenderer = {
    compile(template) {
      let outcome = byName.get(template);
      if (!outcome) {
        const loading = load(template);
        const names = byName;
        names.set(template, loading);
        // After forget() the outcome belongs to a map no longer in use, and is not kept.
        // A read that fails reaches the caller through `loading`; nothing is kept.
        loading.then(
          (done) => {
            if (names === byName) settled.set(template, done);
          },
          () => {},
        );
        outcome = loading;
      }
      return outcome;
    },
    async render(template, subject, view) {
      const outcome = settled.get(template) ?? (await renderer.compile(template));
      if (!outcome.ok) throw new TemplateError(template, outcome.problems);
      return filler.fill(outcome.template, subject, view);
    },
    forget() {
      byName = new Map();
      settled = new Map();
    },
    get compilations() {
      return compilations;
    },
  };
  return renderer;
}
