// Fills a compiled template for one recipient: Liquid only, no MJML. Parsed
// Liquid is cached per compiled template and per subject line, so the cost
// per message is one synchronous render of each part. Worker-safe.
import type { EmailView, RenderedEmail } from '../../core/rendering/contract.ts';
import type { CompiledTemplate } from './compiled-template.ts';
import { compileFastLiquid } from './fast-liquid.ts';
import { tidyText } from './html-to-text.ts';
import { createLiquidEngines, type LiquidEngines } from './liquid-engines.ts';

type Render = (view: object) => string;

interface ParsedTemplate {
  html: Render;
  text: Render;
  /** Whether a Liquid tag sits between Outlook conditionals that MJML would merge. */
  mergesConditionals: boolean;
}

// MJML merges "<![endif]--> <!--[if mso | IE]>" runs as its last step. A
// Liquid tag between two conditionals hides the run from MJML at compile time;
// when the tag renders empty, merging here gives MJML's own output for the
// filled source (the compile-once equivalence test holds us to that).
const adjacentConditionals = /(<!\[endif]-->\s*?<!--\[if mso \| IE]>)/gm;
const liquidAfterConditional = /<!\[endif]-->\s*\{[{%]/;

/** Removes characters that would break a header or hide text: a subject is one line. */
export function cleanSubject(subject: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return subject.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ').trim();
}

export interface TemplateFiller {
  fill(template: CompiledTemplate, subject: string, view: EmailView): RenderedEmail;
}

export function createTemplateFiller(engines: LiquidEngines = createLiquidEngines()): TemplateFiller {
  const parsedTemplates = new WeakMap<CompiledTemplate, ParsedTemplate>();
  const parsedSubjects = new Map<string, Render>();

  // The fast compiler covers what templates use; anything else goes through liquidjs, parsed once.
  function compile(source: string, escapes: boolean): Render {
    const fast = compileFastLiquid(source, { escape: escapes });
    if (fast) return fast;
    const engine = escapes ? engines.html : engines.text;
    const parsed = engine.parse(source);
    return (view) => engine.renderSync(parsed, view);
  }

  function parsedTemplate(template: CompiledTemplate): ParsedTemplate {
    let parsed = parsedTemplates.get(template);
    if (!parsed) {
      parsed = {
        html: compile(template.html, true),
        text: compile(template.text, false),
        mergesConditionals: liquidAfterConditional.test(template.html),
      };
      parsedTemplates.set(template, parsed);
    }
    return parsed;
  }

  function parsedSubject(subject: string): Render {
    let parsed = parsedSubjects.get(subject);
    if (!parsed) {
      parsed = compile(subject, false);
      // Subjects come from campaign files: a handful per shop. The bound only
      // guards against a caller passing per-recipient text as the source.
      if (parsedSubjects.size >= 1000) parsedSubjects.clear();
      parsedSubjects.set(subject, parsed);
    }
    return parsed;
  }

  return {
    fill(template, subject, view) {
      const parsed = parsedTemplate(template);
      let html = parsed.html(view);
      if (parsed.mergesConditionals) html = html.replace(adjacentConditionals, '');
      return {
        subject: cleanSubject(parsedSubject(subject)(view)),
        html,
        text: tidyText(parsed.text(view)),
      };
    },
  };
}
