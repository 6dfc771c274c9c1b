// Resolves partials before MJML sees a template: `{% render 'footer' %}` (or
// `{% include 'footer' %}`) is replaced by emails/partials/footer.mjml, so a
// partial may hold whole MJML sections. Keeps, for every line of the result,
// the file and line it came from, so compile and Liquid errors point at the
// marketer's file. Reads through a port; never touches the file system itself.

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
  /** Where line `line` (1-based) of `text` came from. */
  origin(line: number): SourcePosition;
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

export async function resolvePartials(file: string, reader: SourceReader): Promise<ResolveResult> {
  const text = await reader.read(file);
  if (text === null) {
    return { ok: false, problems: [{ file, line: 1, column: 1, message: `template '${file}' not found` }] };
  }
  const problems: TemplateProblem[] = [];
  const partials = new Set<string>();
  let out = '';
  const origins: SourcePosition[] = [{ file, line: 1 }];

  const append = (chunk: string, from: string, firstLine: number) => {
    out += chunk;
    let line = firstLine;
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) {
      origins.push({ file: from, line: ++line });
    }
  };

  async function expand(from: string, content: string, firstLine: number, stack: string[]): Promise<void> {
    let last = 0;
    for (const match of content.matchAll(partialTag)) {
      const at = lineAt(content, match.index);
      append(content.slice(last, match.index), from, firstLine + lineAt(content, last).line - 1);
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
    append(content.slice(last), from, firstLine + lineAt(content, last).line - 1);
  }

  await expand(file, text, 1, [file]);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    source: {
      file,
      text: out,
      partials: [...partials].sort(),
      origin: (line) => origins[Math.min(Math.max(line, 1), origins.length) - 1]!,
    },
  };
}
