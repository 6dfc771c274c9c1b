// A compiler for the small part of Liquid that email templates use, turning a
// template into plain closures: outputs with a few filters, if/elsif/else,
// for, assign. It exists for speed (liquidjs walks generators per token; this
// runs ~10x faster) and returns null for anything outside that part, so the
// caller falls back to liquidjs. Semantics follow liquidjs 10 (nil and false
// are the only falsy values, `default` treats "" and [] as empty, outputs are
// HTML-escaped unless `| raw`); test/node/templates/fast-liquid.test.ts holds them to it.
// Pure, Worker-safe.

import {
  escapeHtml,
  type Frames,
  type Node,
  Parser,
  type Scope,
  stringify,
  tokenize,
  truthy,
  Unsupported,
  type Value,
} from './fast-liquid-expressions.ts';

// ---- template structure ---------------------------------------------------

const liquidToken = /\{\{(-?)([\s\S]*?)(-?)\}\}|\{%(-?)([\s\S]*?)(-?)%\}/g;

interface Piece {
  kind: 'text' | 'output' | 'tag';
  body: string;
}

function pieces(source: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  let trimNext = false;
  for (const match of source.matchAll(liquidToken)) {
    let text = source.slice(last, match.index);
    if (trimNext) text = text.replace(/^[ \t\n\r\v\f]+/, '');
    const trimBefore = (match[1] ?? match[4]) === '-';
    if (trimBefore) text = text.replace(/[ \t\n\r\v\f]+$/, '');
    if (text) out.push({ kind: 'text', body: text });
    out.push(match[2] !== undefined ? { kind: 'output', body: match[2] } : { kind: 'tag', body: match[5]! });
    trimNext = (match[3] ?? match[6]) === '-';
    last = match.index + match[0].length;
  }
  let rest = source.slice(last);
  if (trimNext) rest = rest.replace(/^[ \t\n\r\v\f]+/, '');
  if (rest) out.push({ kind: 'text', body: rest });
  return out;
}

function parseExpression<T>(source: string, read: (parser: Parser) => T): T {
  const tokens = tokenize(source);
  if (!tokens) throw new Unsupported();
  const parser = new Parser(tokens);
  const result = read(parser);
  if (!parser.done()) throw new Unsupported();
  return result;
}

function block(
  list: Piece[],
  at: { i: number },
  escapes: boolean,
  ends: readonly string[],
): { nodes: Node[]; end: string; rest: string } {
  const nodes: Node[] = [];
  while (at.i < list.length) {
    const piece = list[at.i++]!;
    if (piece.kind === 'text') {
      const text = piece.body;
      nodes.push(() => text);
      continue;
    }
    if (piece.kind === 'output') {
      const { value, raw } = parseExpression(piece.body, (p) => p.filtered());
      nodes.push(
        escapes && !raw
          ? (frames) => escapeHtml(stringify(value(frames)))
          : (frames) => stringify(value(frames)),
      );
      continue;
    }
    const body = piece.body.trim();
    const name = /^[a-z]+/.exec(body)?.[0] ?? '';
    const rest = body.slice(name.length);
    if (ends.includes(name)) return { nodes, end: name, rest };
    if (name === 'if' || name === 'unless') nodes.push(ifNode(list, at, escapes, rest, name === 'unless'));
    else if (name === 'for') nodes.push(forNode(list, at, escapes, rest));
    else if (name === 'assign') nodes.push(assignNode(rest));
    else throw new Unsupported();
  }
  if (ends.length > 0) throw new Unsupported();
  return { nodes, end: '', rest: '' };
}

// String concatenation: V8 builds a rope and flattens it once, cheaper than an array join here.
function run(nodes: Node[], frames: Frames): string {
  let out = '';
  for (const node of nodes) out += node(frames);
  return out;
}

function ifNode(
  list: Piece[],
  at: { i: number },
  escapes: boolean,
  condition: string,
  negate: boolean,
): Node {
  const branches: { test: Value | null; nodes: Node[] }[] = [];
  let test: Value | null = parseExpression(condition, (p) => p.condition());
  if (negate) {
    const inner = test;
    test = (frames) => !truthy(inner(frames));
  }
  for (;;) {
    const part = block(list, at, escapes, negate ? ['else', 'endunless'] : ['elsif', 'else', 'endif']);
    branches.push({ test, nodes: part.nodes });
    if (part.end === 'endif' || part.end === 'endunless') break;
    if (part.rest.trim() && part.end === 'else') throw new Unsupported();
    test = part.end === 'elsif' ? parseExpression(part.rest, (p) => p.condition()) : null;
    if (part.end === 'else') {
      const last = block(list, at, escapes, [negate ? 'endunless' : 'endif']);
      branches.push({ test: null, nodes: last.nodes });
      break;
    }
  }
  return (frames) => {
    for (const branch of branches) {
      if (branch.test === null || truthy(branch.test(frames))) return run(branch.nodes, frames);
    }
    return '';
  };
}

/** What liquidjs's `for` iterates for a value: arrays as they are, a string as one item, an object's pairs. */
function enumerable(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.length > 0 ? [value] : [];
  if (value !== null && typeof value === 'object') return Object.entries(value);
  return [];
}

function forNode(list: Piece[], at: { i: number }, escapes: boolean, header: string): Node {
  const match = /^\s*([A-Za-z_][\w-]*)\s+in\s+(.+)$/.exec(header);
  if (!match) throw new Unsupported();
  const name = match[1]!;
  const collection = parseExpression(match[2]!, (p) => p.value());
  const body = block(list, at, escapes, ['endfor', 'else']);
  if (body.end !== 'endfor') throw new Unsupported();
  return (frames) => {
    const value = enumerable(collection(frames));
    let out = '';
    const length = value.length;
    const frame: Scope = {};
    frames.push(frame);
    try {
      value.forEach((item, index) => {
        frame[name] = item;
        frame.forloop = {
          first: index === 0,
          last: index === length - 1,
          index: index + 1,
          index0: index,
          length,
          rindex: length - index,
          rindex0: length - index - 1,
        };
        out += run(body.nodes, frames);
      });
    } finally {
      frames.pop();
    }
    return out;
  };
}

function assignNode(rest: string): Node {
  const match = /^\s*([A-Za-z_][\w-]*)\s*=\s*([\s\S]+)$/.exec(rest);
  if (!match) throw new Unsupported();
  const name = match[1]!;
  const { value } = parseExpression(match[2]!, (p) => p.filtered());
  // Like liquidjs, an assign lands in the outermost template scope, even inside a for.
  return (frames) => {
    frames[1]![name] = value(frames);
    return '';
  };
}

export type FastTemplate = (view: object) => string;

/** The template as a function, or null when it uses Liquid this compiler does not cover. */
export function compileFastLiquid(source: string, options: { escape: boolean }): FastTemplate | null {
  try {
    const { nodes } = block(pieces(source), { i: 0 }, options.escape, []);
    return (view) => run(nodes, [view as Scope, {}]);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}
