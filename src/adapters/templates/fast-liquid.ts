// A compiler for the small part of Liquid that email templates use, turning a
// template into plain closures: outputs with a few filters, if/elsif/else,
// for, assign. It exists for speed (liquidjs walks generators per token; this
// runs ~10x faster) and returns null for anything outside that part, so the
// caller falls back to liquidjs. Semantics follow liquidjs 10 (nil and false
// are the only falsy values, `default` treats "" and [] as empty, outputs are
// HTML-escaped unless `| raw`); test/node/templates/fast-liquid.test.ts holds them to it.
// An optional OutputStage (output-stages.ts) fuses a pass over the output
// into the template, so it need not rescan the whole result per recipient.
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

function parseExpression<T>(source: string, how: Compiling, read: (parser: Parser) => T): T {
  const tokens = tokenize(source);
  if (!tokens) throw new Unsupported();
  const parser = new Parser(tokens, how.locals);
  const result = read(parser);
  if (!parser.done()) throw new Unsupported();
  return result;
}

/**
 * A pass over a template's output, streamed: the template hands it every
 * piece of output in order, and it returns what to put in its place. One
 * stage object serves one compiled template; render is synchronous, so its
 * state lives from begin() to finish().
 */
export interface OutputStage {
  /** At compile time: what emits this literal text, or null when the stage cannot stream it. */
  literal(text: string): (() => string) | null;
  /** At compile time: what emits an output's text (`escaped` is false for `| raw` or a text template). */
  output(escaped: boolean): ((text: string) => string) | null;
  begin(): void;
  finish(out: string): string;
}

interface Compiling {
  escapes: boolean;
  stage: OutputStage | undefined;
  /** Names an assign or a for may set: every other name can only come from the view. */
  locals: ReadonlySet<string>;
}

const setsName = /^\s*(?:assign|for)\s+([A-Za-z_][\w-]*)/;

function localNames(list: Piece[]): Set<string> {
  const names = new Set(['forloop']);
  for (const piece of list) {
    const name = piece.kind === 'tag' ? setsName.exec(piece.body)?.[1] : undefined;
    if (name) names.add(name);
  }
  return names;
}

function textNode(text: string, how: Compiling): Node {
  if (!how.stage) return () => text;
  const emit = how.stage.literal(text);
  if (!emit) throw new Unsupported();
  return emit;
}

function outputNode(body: string, how: Compiling): Node {
  const { value, raw } = parseExpression(body, how, (p) => p.filtered());
  const escaped = how.escapes && !raw;
  const emit = how.stage ? how.stage.output(escaped) : undefined;
  if (emit === null) throw new Unsupported();
  if (!escaped)
    return emit ? (frames) => emit(stringify(value(frames))) : (frames) => stringify(value(frames));
  // Shop-wide values (its name, colour, address) repeat from one recipient to the next.
  let lastIn = '';
  let lastOut = '';
  const remembered = (text: string) => {
    if (text !== lastIn) {
      lastIn = text;
      lastOut = escapeHtml(text);
    }
    return lastOut;
  };
  return emit
    ? (frames) => emit(remembered(stringify(value(frames))))
    : (frames) => remembered(stringify(value(frames)));
}

function block(
  list: Piece[],
  at: { i: number },
  how: Compiling,
  ends: readonly string[],
): { nodes: Node[]; end: string; rest: string } {
  const nodes: Node[] = [];
  while (at.i < list.length) {
    const piece = list[at.i++]!;
    if (piece.kind === 'text') {
      nodes.push(textNode(piece.body, how));
      continue;
    }
    if (piece.kind === 'output') {
      nodes.push(outputNode(piece.body, how));
      continue;
    }
    const body = piece.body.trim();
    const name = /^[a-z]+/.exec(body)?.[0] ?? '';
    const rest = body.slice(name.length);
    if (ends.includes(name)) return { nodes, end: name, rest };
    if (name === 'if' || name === 'unless') nodes.push(ifNode(list, at, how, rest, name === 'unless'));
    else if (name === 'for') nodes.push(forNode(list, at, how, rest));
    else if (name === 'assign') nodes.push(assignNode(rest, how));
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

function ifNode(list: Piece[], at: { i: number }, how: Compiling, condition: string, negate: boolean): Node {
  const branches: { test: Value | null; nodes: Node[] }[] = [];
  let test: Value | null = parseExpression(condition, how, (p) => p.condition());
  if (negate) {
    const inner = test;
    test = (frames) => !truthy(inner(frames));
  }
  for (;;) {
    const part = block(list, at, how, negate ? ['else', 'endunless'] : ['elsif', 'else', 'endif']);
    branches.push({ test, nodes: part.nodes });
    if (part.end === 'endif' || part.end === 'endunless') break;
    if (part.rest.trim() && part.end === 'else') throw new Unsupported();
    test = part.end === 'elsif' ? parseExpression(part.rest, how, (p) => p.condition()) : null;
    if (part.end === 'else') {
      const last = block(list, at, how, [negate ? 'endunless' : 'endif']);
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

function forNode(list: Piece[], at: { i: number }, how: Compiling, header: string): Node {
  const match = /^\s*([A-Za-z_][\w-]*)\s+in\s+(.+)$/.exec(header);
  if (!match) throw new Unsupported();
  const name = match[1]!;
  const collection = parseExpression(match[2]!, how, (p) => p.value());
  const body = block(list, at, how, ['endfor', 'else']);
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

function assignNode(rest: string, how: Compiling): Node {
  const match = /^\s*([A-Za-z_][\w-]*)\s*=\s*([\s\S]+)$/.exec(rest);
  if (!match) throw new Unsupported();
  const name = match[1]!;
  const { value } = parseExpression(match[2]!, how, (p) => p.filtered());
  // Like liquidjs, an assign lands in the outermost template scope, even inside a for.
  return (frames) => {
    frames[1]![name] = value(frames);
    return '';
  };
}

export type FastTemplate = (view: object) => string;

/**
 * The template as a function, or null when it uses Liquid this compiler does
 * not cover (or output the stage cannot stream).
 */
export function compileFastLiquid(
  source: string,
  options: { escape: boolean; stage?: OutputStage },
): FastTemplate | null {
  const { stage } = options;
  try {
    const list = pieces(source);
    const { nodes } = block(list, { i: 0 }, { escapes: options.escape, stage, locals: localNames(list) }, []);
    if (!stage) return (view) => run(nodes, [view as Scope, {}]);
    return (view) => {
      stage.begin();
      return stage.finish(run(nodes, [view as Scope, {}]));
    };
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}
