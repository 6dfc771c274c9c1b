// Parses one YAML file and keeps its node positions, so a problem found later
// in the parsed data (a zod issue path) can be pointed at line:column in the
// file. Never throws for bad YAML: a syntax error comes back as a value, one
// per file, said plainly (yaml-indentation.ts).
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { indentationProblem, tabIndentation } from './yaml-indentation.ts';

export interface Position {
  line: number;
  column: number;
}

export interface YamlProblem extends Position {
  message: string;
}

export interface YamlSource {
  /** The file's content as plain data; undefined when there were syntax errors. */
  data: unknown;
  /** True when the file holds no document at all (empty or only comments). */
  empty: boolean;
  errors: YamlProblem[];
  warnings: YamlProblem[];
  /**
   * Where `path` is in the file: the value's position when it is there, the
   * key's when the value is empty or `at` is 'key', else the nearest ancestor's.
   */
  locate(path: readonly (string | number)[], at?: 'key' | 'value'): Position;
}

const fileStart: Position = { line: 1, column: 1 };

/** The one message for a file the parser failed on: a tab, else a misaligned line, else the parser's first error. */
function syntaxProblem(text: string, first: YamlProblem, errors: readonly { code: string }[]): YamlProblem {
  const tab = tabIndentation(text);
  if (tab && errors.some((error) => error.code === 'TAB_AS_INDENT')) {
    const others = tab.count > 1 ? ` (${tab.count - 1} more line${tab.count > 2 ? 's' : ''} below too)` : '';
    return {
      line: tab.line,
      column: tab.column,
      message: `tabs are not allowed for indentation in YAML; use spaces${others}`,
    };
  }
  const indentation = indentationProblem(text);
  // The parser stops at or just before the misaligned line; a misreading further down is not it.
  if (indentation && indentation.line <= first.line + 1) return indentation;
  const code = errors[0]?.code;
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    return {
      ...first,
      message: `this value holds ': ', which YAML reads as the start of another key; put the value in quotes`,
    };
  }
  if (code === 'DUPLICATE_KEY')
    return { ...first, message: 'this key is given twice in the same block; keep one' };
  return first;
}

export function parseYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problem = (error: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }) => ({
    ...(error.linePos ? { line: error.linePos[0].line, column: error.linePos[0].col } : fileStart),
    // prettyErrors appends " at line L, column C:" and a code frame; the
    // position is reported separately, so keep only the sentence.
    message: error.message.split(/ at line \d+, column \d+:?|\n/)[0]!.trim(),
  });
  // One syntax error per file: the parser's first error is often a follow-on
  // of an indentation slip on the next line, and the rest follow from it.
  const errors = doc.errors.length > 0 ? [syntaxProblem(text, problem(doc.errors[0]!), doc.errors)] : [];
  const warnings = doc.warnings.map(problem);

  let data: unknown;
  if (errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push({ ...fileStart, message: error instanceof Error ? error.message : String(error) });
    }
  }

  const start = (node: Node | null | undefined): Position | undefined =>
    node?.range ? position(node.range[0]) : undefined;
  const isEmpty = (node: Node | null | undefined) =>
    !node || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]);

  function locate(path: readonly (string | number)[], at: 'key' | 'value' = 'value'): Position {
    let node = doc.contents as Node | null;
    let best = start(node) ?? fileStart;
    let keyPosition: Position | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc) ?? null;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) return keyPosition ?? best;
        keyPosition = start(pair.key as Node) ?? best;
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        keyPosition = undefined;
        node = node.items[segment] as Node;
      } else {
        return keyPosition ?? best;
      }
      best = isEmpty(node) ? (keyPosition ?? best) : (start(node) ?? best);
    }
    if (at === 'key' && keyPosition) return keyPosition;
    return best;
  }

  return { data, empty: errors.length === 0 && doc.contents === null, errors, warnings, locate };
}
