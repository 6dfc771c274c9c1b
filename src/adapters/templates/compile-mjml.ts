// Compiles one resolved template from MJML to HTML that still holds its
// Liquid: every Liquid tag and output is swapped for an inert placeholder
// before MJML runs and put back after, so MJML can neither mangle nor drop
// it unnoticed. Runs once per template (Node and the build script only; the
// Worker gets the result precompiled). Problems come back as values.
// Templates keep two rules for the result to equal compiling the filled
// source (test/node/templates/templates.test.ts holds them to it): Liquid between
// sections or columns goes in <mj-raw>, and an attribute whose emptiness
// changes MJML's markup (mj-image href) never renders empty (`| default:`).
import type { Liquid } from 'liquidjs';
import mjml2html from 'mjml';
import { type CompiledTemplate, liquidPattern } from './compiled-template.ts';
import { htmlToText } from './html-to-text.ts';
import { createLiquidEngines, type LiquidEngines } from './liquid-engines.ts';
import { liquidErrorMessage } from './liquid-names.ts';
import type { ResolvedSource, TemplateProblem } from './partials.ts';

export type CompileResult =
  | { ok: true; template: CompiledTemplate; source: ResolvedSource }
  | { ok: false; problems: TemplateProblem[]; source: ResolvedSource };

// Letters and digits only: MJML passes such text through untouched in
// element content, attributes and CSS values alike.
/**
 * How every template is compiled. `fonts: {}`: MJML would otherwise link
 * Google Fonts whenever a font-family names one of its defaults (Roboto), a
 * request that tells a third party who opened the mail; no template uses a
 * web font, so none is ever linked.
 */
export const mjmlOptions = { validationLevel: 'soft', keepComments: false, fonts: {} } as const;

const placeholder = (index: number) => `rkliquid${index}x`;
const placeholderPattern = /rkliquid(\d+)x/g;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface Protected {
  text: string;
  pieces: { liquid: string; line: number }[];
  /** Line in the resolved source of each line of `text` (index = line - 1). */
  lines: number[];
}

function protect(source: string): Protected {
  const pieces: Protected['pieces'] = [];
  const lines = [1];
  let text = '';
  let resolvedLine = 1;
  let last = 0;
  const copy = (chunk: string) => {
    for (const char of chunk) {
      if (char === '\n') lines.push(++resolvedLine);
    }
    text += chunk;
  };
  for (const match of source.matchAll(liquidPattern)) {
    copy(source.slice(last, match.index));
    pieces.push({ liquid: match[0], line: resolvedLine });
    text += placeholder(pieces.length - 1);
    resolvedLine += match[0].split('\n').length - 1;
    last = match.index + match[0].length;
  }
  copy(source.slice(last));
  return { text, pieces, lines };
}

function restore(text: string, pieces: Protected['pieces']): string {
  return text.replace(placeholderPattern, (_, index: string) => pieces[Number(index)]!.liquid);
}

// Whitespace control ({%- -%}) is written for the HTML; in the text part it
// would eat the line breaks that htmlToText put where block elements end.
function withoutWhitespaceControl(liquid: string): string {
  return liquid.replace(/^(\{[{%])-/, '$1').replace(/-([%}]\})$/, '$1');
}

function liquidProblem(error: unknown, source: ResolvedSource, engine: Liquid): TemplateProblem {
  const token = (error as { token?: { getPosition?: () => [number, number] } }).token;
  const [line, column] = token?.getPosition?.() ?? [1, 1];
  return {
    ...source.origin(line, column),
    message: `Liquid syntax error: ${liquidErrorMessage(error, engine)}`,
  };
}

export async function compileMjml(
  source: ResolvedSource,
  engines: LiquidEngines = createLiquidEngines(),
): Promise<CompileResult> {
  const fail = (problems: TemplateProblem[]): CompileResult => ({ ok: false, problems, source });
  try {
    engines.html.parse(source.text);
  } catch (error) {
    return fail([liquidProblem(error, source, engines.html)]);
  }
  if (/rkliquid\d+x/.test(source.text)) {
    return fail([
      { ...source.origin(1), column: 1, message: 'the template contains the reserved word "rkliquid<n>x"' },
    ]);
  }

  const guarded = protect(source.text);
  const at = (protectedLine: number) => source.origin(guarded.lines[protectedLine - 1] ?? protectedLine);
  let output: Awaited<ReturnType<typeof mjml2html>>;
  try {
    output = await mjml2html(guarded.text, mjmlOptions);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return fail([
      { ...source.origin(1), column: 1, message: `MJML could not compile the template: ${message}` },
    ]);
  }

  const problems: TemplateProblem[] = output.errors
    // An attribute holding Liquid ("{{ shop.color }}") cannot be checked before it is filled.
    .filter((error) => !error.message.includes('rkliquid'))
    .map((error) => ({ ...at(error.line), message: `MJML: ${error.message}` }));

  // MJML renders nothing of an element it does not know (a typo like
  // <mj-colum>), so the Liquid inside is "dropped" too: report the tag alone.
  const unknownElement = output.errors.some((error) => error.message.includes('is not registered'));
  const seen = new Map<number, number>();
  for (const match of output.html.matchAll(placeholderPattern)) {
    const index = Number(match[1]);
    seen.set(index, (seen.get(index) ?? 0) + 1);
  }
  guarded.pieces.forEach((piece, index) => {
    if (unknownElement) return;
    const count = seen.get(index) ?? 0;
    const isTag = piece.liquid.startsWith('{%');
    const where = { ...source.origin(piece.line), column: 1 };
    if (count === 0) {
      problems.push({
        ...where,
        message: `MJML dropped the Liquid ${piece.liquid}: between sections or columns, wrap Liquid in <mj-raw>`,
      });
    } else if (isTag && count > 1) {
      problems.push({
        ...where,
        message: `MJML repeated the Liquid tag ${piece.liquid} ${count} times; move it into <mj-raw> or mj-text`,
      });
    }
  });
  if (problems.length > 0) return fail(problems);

  const template: CompiledTemplate = {
    hash: await sha256Hex(source.text),
    html: restore(output.html, guarded.pieces),
    text: restore(
      htmlToText(output.html),
      guarded.pieces.map((piece) => ({ ...piece, liquid: withoutWhitespaceControl(piece.liquid) })),
    ),
  };
  try {
    engines.html.parse(template.html);
    engines.text.parse(template.text);
  } catch (error) {
    // The source parsed, so MJML must have reordered Liquid (e.g. a tag moved into the head).
    return fail([
      { ...source.origin(1), column: 1, message: `MJML broke the template's Liquid: ${String(error)}` },
    ]);
  }
  return { ok: true, template, source };
}
