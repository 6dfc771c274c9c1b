// Drizzle rebuilds a query's SQL text from its builder on every call; for the
// reads behind each checkout request that building cost more than running the
// query. A prepared query is built once per store and then only bound.
import { is, Param, Placeholder } from 'drizzle-orm';
import type { Statement, Store } from '../store.ts';

export function preparedPerStore<Query>(build: (store: Store) => Query): (store: Store) => Query {
  const byStore = new WeakMap<Store, Query>();
  return (store) => {
    let query = byStore.get(store);
    if (query === undefined) {
      query = build(store);
      byStore.set(store, query);
    }
    return query;
  };
}

/** What drizzle's `.prepare()` hands back, as far as a batch reads it. */
interface PreparedQuery {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
}

type Slot = { value: unknown } | { name: string; encode?: (value: unknown) => unknown };

interface Template {
  prepared: PreparedQuery;
  sql: string;
  slots: Slot[];
}

/**
 * Writes whose SQL is built once per store and shape, then only bound, as
 * batch items: for the statements behind every webhook delivery and ingested
 * order, drizzle's building took more of the server's time than SQLite's
 * running. `build` makes the builder with `sql.placeholder(name)` where the
 * values go; `shape` names what else changes the SQL text (a claim or a
 * raise, the columns present), '' when nothing does.
 *
 * Drizzle's batch asks each item for its prepared query (`_prepare()`) and
 * reads the SQL text and parameters from it (and on D1 the prepared
 * statement, `stmt`); the import's parse worker asks for `toSQL()`. A bound
 * write answers all three with the query prepared once and this call's
 * values, and runs when awaited alone, as a builder does. Drizzle 0.45's batch contract: test/node/db/bound-writes.test.ts
 * and test/worker/bound-writes.test.ts hold it to it on both drivers.
 */
export function boundWrites(
  build: (store: Store, shape: string) => { prepare(): unknown },
): (store: Store, values: Record<string, unknown>, shape?: string) => Statement {
  const byStore = new WeakMap<Store, Map<string, Template>>();
  return (store, values, shape = '') => {
    let templates = byStore.get(store);
    if (!templates) {
      templates = new Map();
      byStore.set(store, templates);
    }
    let template = templates.get(shape);
    if (!template) {
      template = templateOf(build(store, shape).prepare() as PreparedQuery);
      templates.set(shape, template);
    }
    return boundItem(store, template, values);
  };
}

function templateOf(prepared: PreparedQuery): Template {
  const query = prepared.getQuery();
  const slots = query.params.map((param): Slot => {
    if (is(param, Placeholder)) return { name: param.name };
    if (is(param, Param) && is(param.value, Placeholder)) {
      const encoder = param.encoder;
      return { name: param.value.name, encode: (value) => encoder.mapToDriverValue(value) };
    }
    return { value: param };
  });
  return { prepared, sql: query.sql, slots };
}

function boundItem(store: Store, template: Template, values: Record<string, unknown>): Statement {
  const params = template.slots.map((slot) => {
    if ('value' in slot) return slot.value;
    if (!(slot.name in values)) throw new Error(`boundWrites: no value for "${slot.name}"`);
    const value = values[slot.name];
    return slot.encode ? slot.encode(value) : value;
  });
  const query = { sql: template.sql, params };
  const { prepared } = template;
  const item = {
    _prepare: () => ({
      getQuery: () => query,
      mapResult: (response: unknown, isFromBatch?: boolean) => prepared.mapResult(response, isFromBatch),
      stmt: (prepared as { stmt?: unknown }).stmt,
    }),
    toSQL: () => query,
    // Awaited alone it runs, as a drizzle builder does.
    // biome-ignore lint/suspicious/noThenProperty: the same contract as drizzle's thenable builders.
    then: (resolve: (value: unknown) => unknown, reject: (error: unknown) => unknown) =>
      store
        .batch([item as unknown as Statement])
        .then(([result]) => result)
        .then(resolve, reject),
  };
  return item as unknown as Statement;
}
