// Finds the line a YAML indentation mistake starts at, for a message a
// marketer can act on. The YAML parser reports where it got lost ("Nested
// mappings are not allowed in compact mappings" on the line above, then its
// follow-on errors); this reads the lines the way a person lines them up:
// every key of one block starts in the same column, and a line may only be
// deeper than the one above when that one opens a block (ends with ':' or is
// a list item). Only asked when the parser already failed, so an unusual but
// valid layout it misreads cannot fail a file. Pure.
import type { YamlProblem } from './yaml-source.ts';

interface Line {
  number: number;
  indent: number;
  /** The line without indentation and trailing comment. */
  content: string;
}

/** Where the first tab in a line's indentation is, and how many lines have one. */
export function tabIndentation(text: string): { line: number; column: number; count: number } | undefined {
  const lines = text.split(/\r?\n/);
  const tabbed = lines.flatMap((line, index) => {
    const indentation = /^[ \t]*/.exec(line)![0];
    return indentation.includes('\t') ? [{ line: index + 1, column: indentation.indexOf('\t') + 1 }] : [];
  });
  return tabbed[0] && { ...tabbed[0], count: tabbed.length };
}

/** The first line whose indentation fits no block above it, with why; undefined when all line up. */
export function indentationProblem(text: string): YamlProblem | undefined {
  const levels: { indent: number; key: string; line: number }[] = [];
  let previous: { number: number; indent: number; key: string; opens: boolean } | undefined;
  let blockScalarAbove: number | undefined; // indentation of the key whose | or > text follows
  let flowDepth = 0;

  for (const line of contentLines(text)) {
    if (blockScalarAbove !== undefined) {
      if (line.indent > blockScalarAbove) continue;
      blockScalarAbove = undefined;
    }
    if (flowDepth > 0) {
      flowDepth += bracketBalance(line.content);
      continue;
    }
    const key = keyOf(line.content);
    const top = levels.at(-1);
    if (!top || !previous) {
      levels.push({ indent: line.indent, key, line: line.number });
    } else if (line.indent > top.indent) {
      if (previous.opens) levels.push({ indent: line.indent, key, line: line.number });
      // A deeper line that is no key continues the text above (a plain multi-line value).
      else if (isKeyOrItem(line.content)) {
        return {
          line: line.number,
          column: line.indent + 1,
          message: `bad indentation: ${show(key)} is indented ${spaces(line.indent)}, deeper than ${show(previous.key)} on line ${previous.number} (${spaces(previous.indent)}), which already has a value; keys of one block must start in the same column`,
        };
      } else continue;
    } else if (line.indent < top.indent) {
      while ((levels.at(-1)?.indent ?? -1) > line.indent) levels.pop();
      const outer = levels.at(-1);
      if (!outer || outer.indent !== line.indent) {
        const around = [top, ...(outer ? [outer] : [])]
          .map((level) => `${spaces(level.indent)} (${show(level.key)}, line ${level.line})`)
          .join(' and ');
        return {
          line: line.number,
          column: line.indent + 1,
          message: `bad indentation: ${show(key)} is indented ${spaces(line.indent)}, but the keys around it are at ${around}; keys of one block must start in the same column`,
        };
      }
    }
    const level = levels.at(-1)!;
    if (level.indent === line.indent) Object.assign(level, { key, line: line.number });

    // A list item's own keys start after "- ": that column is a level too.
    const item = /^-( +)(?=\S)/.exec(line.content);
    const inner = item ? line.content.slice(item[0].length) : line.content;
    const column = item ? line.indent + item[0].length : line.indent;
    if (item) {
      if (levels.at(-1)?.indent !== column)
        levels.push({ indent: column, key: keyOf(inner), line: line.number });
    }
    const blockScalar = /(^|:\s+)[|>][-+0-9]*$/.test(inner);
    if (blockScalar) blockScalarAbove = column;
    flowDepth = Math.max(0, bracketBalance(inner));
    previous = {
      number: line.number,
      indent: column,
      key: keyOf(inner),
      opens: !blockScalar && (/:$/.test(inner) || /^-$/.test(inner)),
    };
  }
  return undefined;
}

function* contentLines(text: string): Generator<Line> {
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const indent = /^ */.exec(raw)![0].length;
    const content = withoutComment(raw.slice(indent)).trimEnd();
    if (content === '' || content === '---' || content === '...') continue;
    yield { number: index + 1, indent, content };
  }
}

// A # starts a comment at the line start or after a space, outside quotes.
function withoutComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || text[i - 1] === ' ')) return text.slice(0, i);
  }
  return text;
}

// Open minus closed flow brackets outside quotes: > 0 means the collection goes on below.
function bracketBalance(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
  }
  return depth;
}

function isKeyOrItem(content: string): boolean {
  return /^-( |$)/.test(content) || /^[^\s"'{[][^:]*:( |$)/.test(content);
}

function keyOf(content: string): string {
  if (/^-( |$)/.test(content)) return 'the list item';
  return /^([^:]+):( |$)/.exec(content)?.[1]?.trim() ?? content;
}

function show(key: string): string {
  return key === 'the list item' ? key : `'${key}'`;
}

function spaces(count: number): string {
  return `${count} space${count === 1 ? '' : 's'}`;
}
