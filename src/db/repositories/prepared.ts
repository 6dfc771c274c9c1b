// Drizzle rebuilds a query's SQL text from its builder on every call; for the
// reads behind each checkout request that building cost more than running the
// query. A prepared query is built once per store and then only bound.
import type { Store } from '../store.ts';

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
