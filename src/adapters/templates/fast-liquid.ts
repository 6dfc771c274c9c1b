// A compiler for the small part of Liquid that email templates use, turning a
// template into plain closures: outputs with a few filters, if/elsif/else,
// for, assign. It exists for speed (liquidjs walks generators per token; this
// runs ~10x faster) and returns null for anything outside that part, so the
// caller falls back to liquidjs. Semantics follow liquidjs 10 (nil and false
// are the only falsy values, `default` treats "" and [] as empty, outputs are
// HTML-escaped unless `| raw`); test/unit/fast-liquid.test.ts holds them to it.
// Pure, Worker-safe.

type Scope = Record<string, unknown>;
type Frames = Scope[];
type Value = (frames: Frames) => unknown;
type Node = (frames: Frames) => string;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => entities[c]!);

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

const truthy = (value: unknown) => value !== null && value !== undefined && value !== false;

// liquidjs's readProperty: own properties only (ownPropertyOnly), negative
// array indexes, and `size`, `first`, `last` on any value.
function property(target: unknown, key: string | number): unknown {
  if (target === null || target === undefined) return target;
  if (Array.isArray(target) && typeof key === 'number') return target[key < 0 ? target.length + key : key];
  const record = target as Record<string | number, unknown>;
  const own = Object.hasOwn(Object(target), key) ? record[key] : undefined;
  if (key === 'size') {
    if (Object.hasOwn(Object(target), 'size') || record.size !== undefined) return record.size;
    if (Array.isArray(target) || typeof target === 'string') return target.length;
    return typeof target === 'object' ? Object.keys(target).length : undefined;
  }
  if (key === 'first' && Array.isArray(target)) return target[0];
  if (key === 'last' && Array.isArray(target)) return target[target.length - 1];
  return own;
}

function lookup(frames: Frames, name: string): unknown {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (Object.hasOwn(frame, name)) return frame[name];
  }
  return undefined;
}

// ---- expressions ----------------------------------------------------------

const expressionToken =
  /\s*(?:('[^']*'|"[^"]*")|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w-]*\??)|(==|!=|<>|>=|<=|>|<|\.|\[|\]|\||:|,))/y;

type Token = { kind: 'string' | 'number' | 'word' | 'punct'; text: string };

function tokenize(source: string): Token[] | null {
  const tokens: Token[] = [];
  expressionToken.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    expressionToken.lastIndex = at;
    const match = expressionToken.exec(source);
    if (!match) return null;
    at = expressionToken.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1].slice(1, -1) });
    else if (match[2] !== undefined) tokens.push({ kind: 'number', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'word', text: match[3] });
    else tokens.push({ kind: 'punct', text: match[4]! });
  }
  return tokens;
}

class Unsupported extends Error {}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.at];
  }
  next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new Unsupported();
    return token;
  }
  done(): boolean {
    return this.at >= this.tokens.length;
  }
  expect(text: string): void {
    if (this.next().text !== text) throw new Unsupported();
  }

  value(): Value {
    const token = this.next();
    if (token.kind === 'string') return () => token.text;
    if (token.kind === 'number') {
      const number = Number(token.text);
      return () => number;
    }
    if (token.kind !== 'word') throw new Unsupported();
    if (token.text === 'true' || token.text === 'false') {
      const bool = token.text === 'true';
      return () => bool;
    }
    if (token.text === 'nil' || token.text === 'null') return () => null;
    if (token.text === 'empty' || token.text === 'blank') throw new Unsupported();
    const name = token.text;
    const path: Value[] = [];
    for (;;) {
      const next = this.peek();
      if (next?.text === '.') {
        this.next();
        const key = this.next();
        if (key.kind !== 'word') throw new Unsupported();
        path.push(() => key.text);
      } else if (next?.text === '[') {
        this.next();
        path.push(this.value());
        this.expect(']');
      } else break;
    }
    return (frames) => {
      let current = lookup(frames, name);
      for (const key of path) current = property(current, key(frames) as string | number);
      return current;
    };
  }

  filtered(): { value: Value; raw: boolean } {
    let value = this.value();
    let raw = false;
    while (this.peek()?.text === '|') {
      this.next();
      if (raw) throw new Unsupported();
      const name = this.next();
      const args: Value[] = [];
      if (this.peek()?.text === ':') {
        this.next();
        args.push(this.value());
        while (this.peek()?.text === ',') {
          this.next();
          args.push(this.value());
        }
      }
      if (name.text === 'raw' && args.length === 0) raw = true;
      else value = applyFilter(name.text, value, args);
    }
    return { value, raw };
  }

  condition(): Value {
    const parts: Value[] = [this.comparison()];
    let joiner: string | undefined;
    while (!this.done()) {
      const word = this.next().text;
      if ((word !== 'and' && word !== 'or') || (joiner && joiner !== word)) throw new Unsupported();
      joiner = word;
      parts.push(this.comparison());
    }
    if (parts.length === 1) return parts[0]!;
    return joiner === 'and'
      ? (frames) => parts.every((part) => truthy(part(frames)))
      : (frames) => parts.some((part) => truthy(part(frames)));
  }

  comparison(): Value {
    const left = this.value();
    const op = this.peek();
    if (op?.kind !== 'punct' || !['==', '!=', '<>', '>', '<', '>=', '<='].includes(op.text)) return left;
    this.next();
    const right = this.value();
    const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);
    switch (op.text) {
      case '==':
        return (f) => same(left(f), right(f));
      case '!=':
      case '<>':
        return (f) => !same(left(f), right(f));
      default:
        return (f) => compare(op.text, left(f), right(f));
    }
  }
}

// liquidjs compares with JS operators after unwrapping values; so does this.
function compare(op: string, a: unknown, b: unknown): boolean {
  const l = a as number;
  const r = b as number;
  if (op === '>') return l > r;
  if (op === '<') return l < r;
  if (op === '>=') return l >= r;
  return l <= r;
}

function applyFilter(name: string, input: Value, args: Value[]): Value {
  const one = (f: (text: string) => string): Value => {
    if (args.length > 0) throw new Unsupported();
    return (frames) => f(stringify(input(frames)));
  };
  switch (name) {
    case 'default': {
      const fallback = args[0];
      if (!fallback || args.length > 1) throw new Unsupported();
      return (frames) => {
        const value = input(frames);
        if (Array.isArray(value) || typeof value === 'string')
          return value.length > 0 ? value : fallback(frames);
        return truthy(value) ? value : fallback(frames);
      };
    }
    case 'downcase':
      return one((t) => t.toLowerCase());
    case 'upcase':
      return one((t) => t.toUpperCase());
    case 'capitalize':
      return one((t) => t.charAt(0).toUpperCase() + t.slice(1).toLowerCase());
    case 'strip':
      return one((t) => t.trim());
    case 'escape':
      return one(escapeHtml);
    default:
      throw new Unsupported();
  }
}

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
