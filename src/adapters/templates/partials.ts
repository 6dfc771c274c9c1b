// Resolves partials before MJML sees a template: `{% render 'footer' %}` (or
// `{% include 'footer' %}`) is replaced by emails/partials/footer.mjml, so a
// partial may hold whole MJML sections. Keeps, for every line and column of
// the result, the file, line and column it came from, so compile and Liquid
// errors point at the marketer's file, partials included. Reads through a
// port; never touches the file system itself.

export interface SourceReader {
  /** The file's text by path relative to the emails folder, or null when it does not exist. */
  read(path: string): Promise<string | null>;
}

export interface SourcePosition {
  file: string;
  line: number;
}

export interface TemplateProblem extends SourcePosition {
  column: number;
  message: string;
}

export interface ResolvedSource {
  /** The template's path relative to the emails folder, e.g. winback.mjml. */
  file: string;
  text: string;
  /** Names of the partials used, directly or through another partial. */
  partials: string[];
  /**
   * Where line `line`, column `column` (1-based) of `text` came from. A line
   * can hold two files (the indentation before a render tag, then the
   * partial's first line); without a column, the line is blamed on the file
   * of its first non-blank character.
   */
  origin(line: number, column?: number): SourcePosition & { column: number };
}

export type ResolveResult = { ok: true; source: ResolvedSource } | { ok: false; problems: TemplateProblem[] };

export const partialsFolder = 'partials';
const partialTag = /\{%-?\s*(?:render|include)\s+(['"])([A-Za-z0-9_-]+)\1\s*-?%\}/g;
const maxDepth = 8;

export function partialPath(name: string): string {
  return `${partialsFolder}/${name}.mjml`;
}

function lineAt(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

interface Segment {
  /** Column in the resolved line where the piece starts. */
  at: number;
  file: string;
  line: number;
  /** Column in its own file's line where the piece starts. */
  column: number;
}

/** Where line `line`, column `column` of the resolved text came from (see ResolvedSource.origin). */
function originOf(
  lines: readonly string[],
  segments: readonly Segment[][],
  line: number,
  column: number | undefined,
): SourcePosition & { column: number } {
  const index = Math.min(Math.max(line, 1), segments.length) - 1;
  const pieces = segments[index]!;
  const wanted = column ?? Math.max(1, (lines[index] ?? '').search(/\S/) + 1);
  const piece = pieces.findLast((candidate) => candidate.at <= wanted) ?? pieces[0]!;
  return { file: piece.file, line: piece.line, column: piece.column + Math.max(0, wanted - piece.at) };
}

export async function resolvePartials(file: string, reader: SourceReader): Promise<ResolveResult> {
  const text = await reader.read(file);
  if (text === null) {
    return { ok: false, problems: [{ file, line: 1, column: 1, message: `template '${file}' not found` }] };
  }
  const problems: TemplateProblem[] = [];
  const partials = new Set<string>();
  let out = '';
  // Per line of `out`, the pieces it is made of: where each starts in the
  // line and where it came from. Never empty: an empty text is the template's.
  const segments: Segment[][] = [[{ at: 1, file, line: 1, column: 1 }]];
  let outColumn = 1;

  const append = (chunk: string, from: string, firstLine: number, firstColumn: number) => {
    if (chunk === '') return;
    out += chunk;
    let line = firstLine;
    segments[segments.length - 1]!.push({ at: outColumn, file: from, line, column: firstColumn });
    let start = 0;
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) {
      segments.push([{ at: 1, file: from, line: ++line, column: 1 }]);
      start = i + 1;
      outColumn = 1;
    }
    outColumn += chunk.length - start;
  };

  async function expand(from: string, content: string, firstLine: number, stack: string[]): Promise<void> {
    let last = 0;
    for (const match of content.matchAll(partialTag)) {
      const at = lineAt(content, match.index);
      const before = lineAt(content, last);
      append(content.slice(last, match.index), from, firstLine + before.line - 1, before.column);
      last = match.index + match[0].length;
      const name = match[2]!;
      const path = partialPath(name);
      const where = { file: from, line: firstLine + at.line - 1, column: at.column };
      if (stack.includes(path) || stack.length > maxDepth) {
        problems.push({
          ...where,
          message: `partial '${name}' includes itself (${[...stack, path].join(' -> ')})`,
        });
        continue;
      }
      const partial = await reader.read(path);
      if (partial === null) {
        problems.push({
          ...where,
          message: `partial '${name}' not found: expected ${path} in the emails folder`,
        });
        continue;
      }
      partials.add(name);
      await expand(path, partial, 1, [...stack, path]);
    }
    const rest = lineAt(content, last);
    append(content.slice(last), from, firstLine + rest.line - 1, rest.column);
  }

  await expand(file, text, 1, [file]);
  if (problems.length > 0) return { ok: false, problems };
  const lines = out.split('\n');
  return {
    ok: true,
    source: {
      file,
      text: out,
      partials: [...partials].sort(),
      origin: (line, column) => originOf(lines, segments, line, column),
    },
  };
}
