// Checks the names a Liquid template uses against the shape of what it will
// be filled with: every variable, every field read from one, and (as one
// message format for both parse paths) every filter. `rekindle validate` runs
// it on templates, partials resolved, and on subject lines, against the view
// of each trigger that uses them (core/rendering/view-schema.ts), so
// `{{ custmer.first_name }}` fails with its line and a "did you mean" instead
// of rendering blank. A static walk of liquidjs's parse tree: every branch is
// checked, whichever a sample would take. Names assigned in the template
// (`assign`, `capture`, a `for` loop's variable) are known from there on, as
// Liquid scopes them, with the shape of what they were given. Never throws
// for a bad template: it reports.
import type { Liquid, PropertyAccessToken, Template, Token, ValueToken } from 'liquidjs';
import { TypeGuards, toValueSync } from 'liquidjs';
import { didYouMean } from '../../core/closest-name.ts';
import type { ViewFields, ViewShape } from '../../core/rendering/view-schema.ts';

/** 'any': a local whose shape is not known (a literal, a filtered value, a capture); anything goes. */
type Shape = ViewShape | 'any';

export interface NameProblem {
  /** Line and column in the parsed text. */
  line: number;
  column: number;
  message: string;
}

export interface NameContext {
  /** The names the template may use, with their shapes. */
  fields: ViewFields;
  /**
   * Why a top-level name is missing when it is not a typo (a part of the
   * view that another trigger provides), as the whole message.
   */
  missing?(name: string): string | undefined;
}

/** A Liquid error's message without liquidjs's position suffix; an unknown filter gets a "did you mean". */
export function liquidErrorMessage(error: unknown, engine: Liquid): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(
    /, line:\d+, col:\d+$/,
    '',
  );
  const filter = /^undefined filter: (\S+)$/.exec(message);
  return filter
    ? `unknown filter '${filter[1]}'${didYouMean(filter[1]!, Object.keys(engine.filters))}`
    : message;
}

// Names Liquid itself puts in a loop's scope.
const loopObjects = new Set(['forloop', 'tablerowloop']);
// What Liquid reads from a list besides an index, and from any value.
const listReads = ['first', 'last', 'size'];

/** A Value or FilteredValueToken: an expression with filters, whose arguments may hold names. */
interface Arg {
  initial: { postfix: Token[] };
  filters: { args: readonly unknown[] }[];
}

const isFiltered = (arg: unknown): arg is Arg =>
  typeof arg === 'object' && arg !== null && 'initial' in arg && 'filters' in arg;

/** Unknown names in `templates` (liquidjs's parse of one text), in reading order. */
export function unknownNames(templates: readonly Template[], context: NameContext): NameProblem[] {
  const problems: NameProblem[] = [];
  // scopes[0] holds assigned names: Liquid's assign and capture are global from where they run.
  const scopes: Map<string, Shape>[] = [new Map()];

  const report = (token: Token, message: string) => {
    const [line = 1, column = 1] = token.getPosition();
    problems.push({ line, column, message });
  };

  const lookup = (name: string): Shape | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const shape = scopes[i]!.get(name);
      if (shape !== undefined) return shape;
    }
    return context.fields[name];
  };

  const knownNames = () => [...scopes.flatMap((scope) => [...scope.keys()]), ...Object.keys(context.fields)];

  /** The shape `token` reads, reporting each unknown name in it when `check` is set. */
  function resolve(token: PropertyAccessToken, check: boolean): Shape | undefined {
    if (token.variable !== undefined) {
      // A literal with a property read ("abc".size): only nested expressions can hold names.
      if (check) visitValueToken(token.variable);
      return 'any';
    }
    const [root, ...props] = token.props;
    if (!root) return 'any';
    if (!TypeGuards.isWordToken(root) && !TypeGuards.isQuotedToken(root)) {
      if (check) visitValueToken(root);
      return 'any';
    }
    const name = root.content;
    let shape = lookup(name);
    if (shape === undefined) {
      if (check) {
        report(
          root,
          context.missing?.(name) ??
            `unknown variable '${name}'${didYouMean(name, knownNames())}; this email has ${Object.keys(context.fields).join(', ')}`,
        );
      }
      return undefined;
    }
    for (const prop of props) {
      const path = token.input.slice(token.begin, prop.begin).replace(/[.[]$/, '');
      if (shape === 'any') return 'any';
      if (TypeGuards.isPropertyAccessToken(prop) || TypeGuards.isNumberToken(prop)) {
        // An index: a list's element, whichever it is.
        if (check && TypeGuards.isPropertyAccessToken(prop)) resolve(prop, true);
        if (typeof shape === 'object' && 'list' in shape) {
          shape = shape.list;
          continue;
        }
        if (check) report(prop, `${path} is not a list, so it has no [${prop.getText()}]`);
        return undefined;
      }
      if (!TypeGuards.isWordToken(prop) && !TypeGuards.isQuotedToken(prop)) return 'any';
      const key = prop.content;
      if (shape === 'value') {
        if (key === 'size') {
          shape = 'value';
          continue;
        }
        if (check) report(prop, `${path} is a single value, not an object: it has no field '${key}'`);
        return undefined;
      }
      if ('list' in shape) {
        if (listReads.includes(key)) {
          shape = key === 'size' ? 'value' : shape.list;
          continue;
        }
        if (check) {
          report(
            prop,
            `${path} is a list: it has no field '${key}'${didYouMean(key, listReads)}; use ${path}[0], ${path}.first, ${path}.size or {% for item in ${path} %}`,
          );
        }
        return undefined;
      }
      const next: ViewShape | undefined = shape.fields[key];
      if (next === undefined) {
        if (check) {
          const fields = Object.keys(shape.fields);
          report(
            prop,
            `unknown field '${key}' in ${path}.${key}${didYouMean(key, fields)}; ${path} has ${fields.join(', ')}`,
          );
        }
        return undefined;
      }
      shape = next;
    }
    return shape;
  }

  function visitValueToken(token: ValueToken | Token | undefined): void {
    if (!token) return;
    if (TypeGuards.isPropertyAccessToken(token)) resolve(token, true);
    else if (TypeGuards.isRangeToken(token)) {
      visitValueToken(token.lhs);
      visitValueToken(token.rhs);
    } else if (TypeGuards.isFilteredValueToken(token)) visitFiltered(token);
  }

  function visitFiltered(value: Arg): void {
    for (const token of value.initial.postfix) visitValueToken(token);
    for (const filter of value.filters) {
      for (const arg of filter.args)
        visitValueToken((Array.isArray(arg) ? arg[1] : arg) as Token | undefined);
    }
  }

  function visitArgument(arg: unknown): void {
    if (isFiltered(arg)) visitFiltered(arg);
    else visitValueToken(arg as Token);
  }

  /** The shape of a single plain path (`recommended[0]`, `cart.items`), else 'any'. */
  function plainShape(arg: unknown): Shape {
    const token = isFiltered(arg)
      ? arg.filters.length === 0 && arg.initial.postfix.length === 1
        ? arg.initial.postfix[0]
        : undefined
      : arg;
    return TypeGuards.isPropertyAccessToken(token) ? (resolve(token, false) ?? 'any') : 'any';
  }

  function visit(node: Template): void {
    const args = node.arguments ? [...node.arguments()] : [];
    for (const arg of args) visitArgument(arg);
    if (node.localScope) {
      for (const identifier of node.localScope()) {
        // assign x = <one plain path> keeps that path's shape; anything else may be anything.
        scopes[0]!.set(identifier.content, args.length === 1 ? plainShape(args[0]) : 'any');
      }
    }
    if (!node.children || node.partialScope) return; // partials are inlined before Liquid parses
    let block: Map<string, Shape> | undefined;
    if (node.blockScope) {
      const [variable, ...others] = [...node.blockScope()];
      const collection = args.length > 0 ? plainShape(args[0]) : 'any';
      block = new Map(others.map((name) => [name, 'any' as Shape]));
      if (variable !== undefined) {
        const item = typeof collection === 'object' && 'list' in collection ? collection.list : 'any';
        block.set(variable, loopObjects.has(variable) ? 'any' : item);
      }
      scopes.push(block);
    }
    for (const child of toValueSync(node.children(false, true))) visit(child);
    if (block) scopes.pop();
  }

  for (const node of templates) visit(node);
  return problems;
}
