// Counts the queries one Worker invocation sends to D1 (each statement of a
// batch counts, as the platform counts them), so the sweeps of a Cron Trigger
// can stop between pages and delivery can size its batches before the
// invocation reaches its query limit; one meter serves the whole invocation
// (src/entry/worker.ts). Wraps the binding and changes nothing else:
// statements and results pass through untouched.
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types';

export interface QueryMeter {
  readonly count: number;
}

export function meterD1(binding: D1Database): { db: D1Database; meter: QueryMeter } {
  const meter = { count: 0 };
  // batch() must be handed the runtime's own statements, not our wrappers.
  const originals = new WeakMap<object, D1PreparedStatement>();

  function wrap(statement: D1PreparedStatement): D1PreparedStatement {
    const counted =
      <A extends unknown[], R>(call: (...args: A) => R) =>
      (...args: A): R => {
        meter.count++;
        return call(...args);
      };
    const wrapped = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      first: counted((column?: string) =>
        column === undefined ? statement.first() : statement.first(column),
      ),
      run: counted(() => statement.run()),
      all: counted(() => statement.all()),
      raw: counted((options?: { columnNames?: boolean }) =>
        options?.columnNames ? statement.raw({ columnNames: true }) : statement.raw(),
      ),
    };
    originals.set(wrapped, statement);
    return wrapped as unknown as D1PreparedStatement;
  }

  const db = {
    prepare: (query: string) => wrap(binding.prepare(query)),
    batch: (statements: D1PreparedStatement[]) => {
      meter.count += statements.length;
      return binding.batch(statements.map((s) => originals.get(s) ?? s));
    },
    exec: (query: string) => {
      meter.count++;
      return binding.exec(query);
    },
    dump: () => binding.dump(),
    withSession: (constraint?: string) => binding.withSession(constraint),
  };
  return { db: db as unknown as D1Database, meter };
}
