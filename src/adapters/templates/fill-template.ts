// Fills a compiled template for one recipient: Liquid only, no MJML. Parsed
// Liquid is cached per compiled template and per subject line, so the cost
// per message is one synchronous render of each part, with the passes over
// the output (output-stages.ts) fused in. Worker-safe.
import type { EmailView, RenderedEmail } from '../../core/rendering/contract.ts';
import type { CompiledTemplate } from './compiled-template.ts';
import { compileFastLiquid, type OutputStage } from './fast-liquid.ts';
import { tidyText } from './html-to-text.ts';
import { createLiquidEngines, type LiquidEngines } from './liquid-engines.ts';
import {
  conditionalMergeStage,
  mayMergeConditionals,
  mergeConditionals,
  tidyTextStage,
} from './output-stages.ts';

type Render = (view: object) => string;

interface ParsedTemplate {
  /** The filled HTML, Outlook conditionals merged. */
  html: Render;
  /** The filled plain text, tidied. */
  text: Render;
}

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

  // The passes over the output run fused into the fast template when they can,
  // else over the whole result; output-stages.ts holds both ways to the same bytes.
  function compileWith(source: string, escapes: boolean, stage: OutputStage, pass: (out: string) => string) {
    const staged = compileFastLiquid(source, { escape: escapes, stage });
    if (staged) return staged;
    const plain = compile(source, escapes);
    return (view: object) => pass(plain(view));
  }

  function parsedTemplate(template: CompiledTemplate): ParsedTemplate {
    let parsed = parsedTemplates.get(template);
    if (!parsed) {
      parsed = {
        html: mayMergeConditionals(template.html)
          ? compileWith(template.html, true, conditionalMergeStage(), mergeConditionals)
          : compile(template.html, true),
        text: compileWith(template.text, false, tidyTextStage(), tidyText),
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
      const html = parsed.html(view);
      return {
        subject: cleanSubject(parsedSubject(subject)(view)),
        html,
        text: parsed.text(view),
      };
    },
  };
}
