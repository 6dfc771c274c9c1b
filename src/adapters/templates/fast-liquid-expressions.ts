// The expression half of the fast Liquid compiler (fast-liquid.ts): values,
// lookups, tokens, the expression parser, comparisons and filters, with
// liquidjs 10's semantics. Pure, Worker-safe.

export type Scope = Record<string, unknown>;
export type Frames = Scope[];
export type Value = (frames: Frames) => unknown;
export type Node = (frames: Frames) => string;

export const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const special = /[&<>"']/;
// Most outputs (names, prices, links) have nothing to escape: a test is cheaper than a replace.
export const escapeHtml = (text: string) =>
  special.test(text) ? text.replace(/[&<>"']/g, (c) => entities[c]!) : text;

export function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

export const truthy = (value: unknown) => value !== null && value !== undefined && value !== false;

// liquidjs's readProperty: own properties only (ownPropertyOnly), negative
// array indexes, and `size`, `first`, `last` on any value.
export function property(target: unknown, key: string | number): unknown {
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

/** property() for a key known when compiling that is not size, first or last. */
function plainProperty(target: unknown, key: string): unknown {
  if (target === null || target === undefined) return target;
  const record = typeof target === 'object' ? target : Object(target);
  return Object.hasOwn(record, key) ? (target as Record<string, unknown>)[key] : undefined;
}

const specialKeys = new Set(['size', 'first', 'last']);

export function lookup(frames: Frames, name: string): unknown {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (Object.hasOwn(frame, name)) return frame[name];
  }
  return undefined;
}

// ---- expressions ----------------------------------------------------------

export const expressionToken =
  /\s*(?:('[^']*'|"[^"]*")|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w-]*\??)|(==|!=|<>|>=|<=|>|<|\.|\[|\]|\||:|,))/y;

export type Token = { kind: 'string' | 'number' | 'word' | 'punct'; text: string };

export function tokenize(source: string): Token[] | null {
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

export class Unsupported extends Error {}

export class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    /** Names the template may set (assign, for); without it, any name may be set. */
    private readonly locals?: ReadonlySet<string>,
  ) {}
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
    const path: (Value | string)[] = [];
    for (;;) {
      const next = this.peek();
      if (next?.text === '.') {
        this.next();
        const key = this.next();
        if (key.kind !== 'word') throw new Unsupported();
        path.push(key.text);
      } else if (next?.text === '[') {
        this.next();
        path.push(this.value());
        this.expect(']');
      } else break;
    }
    // A name the template never sets is read from the view alone.
    const root: Value =
      this.locals && !this.locals.has(name)
        ? (frames) => plainProperty(frames[0], name)
        : (frames) => lookup(frames, name);
    // The common `a.b.c` reads its keys as they were written, with no call per key.
    if (path.every((key) => typeof key === 'string' && !specialKeys.has(key))) {
      const keys = path as string[];
      if (keys.length === 0) return root;
      if (keys.length === 1) {
        const key = keys[0]!;
        return (frames) => plainProperty(root(frames), key);
      }
      if (keys.length === 2) {
        const [first, second] = keys as [string, string];
        return (frames) => plainProperty(plainProperty(root(frames), first), second);
      }
      return (frames) => {
        let current = root(frames);
        for (const key of keys) current = plainProperty(current, key);
        return current;
      };
    }
    return (frames) => {
      let current = root(frames);
      for (const key of path) {
        current = property(current, typeof key === 'string' ? key : (key(frames) as string | number));
      }
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
export function compare(op: string, a: unknown, b: unknown): boolean {
  const l = a as number;
  const r = b as number;
  if (op === '>') return l > r;
  if (op === '<') return l < r;
  if (op === '>=') return l >= r;
  return l <= r;
}

export function applyFilter(name: string, input: Value, args: Value[]): Value {
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
