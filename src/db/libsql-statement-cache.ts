// @libsql/client prepares every statement from scratch, on every call, and for
// the short queries behind a click or a coupon check the prepare costs more
// than running the query (a CPU profile of the api benchmark put libSQL's
// prepare at a quarter of the server's time). The driver keeps its
// connections to itself, so the cache goes one level down: the embedded
// `libsql` Database's prepare remembers, per connection, the statements of the
// most recent SQL texts.
//
// Reusing a statement is safe here because the client runs each one to the
// end (`all` or `run`) before anything else can touch the connection: a
// finished statement holds no read snapshot, so later calls see later writes
// and WAL checkpoints are not blocked. SQLite re-prepares a cached statement
// by itself when a migration changes the schema.
//
// The client also asks each statement, on every call, whether it returns rows
// (raw mode throws when it does not) and for its result columns, twice. Both
// are native calls that cost as much as a short query; a cached statement
// answers them from memory.
//
// SQL whose result columns are a `*` list (SELECT *, t.*, RETURNING *) is never cached: it
// expands to whatever columns a table has now, a migration run by another
// process may change that under a long-lived server, and libSQL reports the
// column names a statement had when it was prepared even after SQLite
// re-prepared it for the new schema: a cached `*` statement would name its
// columns wrongly for good. count(*) names one column and is fine.
import Database from 'libsql';

/** Distinct SQL texts kept per connection; sweeps build many one-off texts. */
export const statementsPerConnection = 256;

type Prepared = ReturnType<InstanceType<typeof Database>['prepare']>;
const marker = Symbol.for('rekindle.statementCache');
const caches = new WeakMap<object, Map<string, Prepared>>();

export function installStatementCache(): void {
  const proto = Database.prototype as unknown as Record<PropertyKey, unknown> & {
    prepare(this: object, sql: string): Prepared;
  };
  if (proto[marker]) return;
  const prepareFresh = proto.prepare;
  proto.prepare = function prepareCached(this: object, sql: string): Prepared {
    let cache = caches.get(this);
    if (!cache) {
      cache = new Map();
      caches.set(this, cache);
    }
    const hit = cache.get(sql);
    if (hit) {
      // Re-insert so the Map's order is least recently used first.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    if (expandsColumns(sql)) return prepareFresh.call(this, sql);
    const statement = rememberMetadata(prepareFresh.call(this, sql));
    cache.set(sql, statement);
    if (cache.size > statementsPerConnection) cache.delete(cache.keys().next().value as string);
    return statement;
  };
  proto[marker] = true;
}

interface StatementMethods {
  raw(toggle?: boolean): unknown;
  safeIntegers(toggle?: boolean): unknown;
  columns(): unknown;
}

// `*` as a column list (`select *`, `select distinct *`, `t.*`, `, *`,
// `returning *`), not a multiplication: arithmetic like the rate buckets'
// refill must not cost a fresh prepare on every call.
const columnStar = /(?:\bselect(?:\s+(?:distinct|all))?|\breturning|,)\s*\*|\.\s*\*/i;

const writeHead = /^\s*(?:insert|replace|update|delete)\b/i;
const returning = /\breturning\b/i;

/**
 * Whether the statement's result columns come from a `*`. A write returns
 * rows only through RETURNING, so a `*` inside its SELECT or CTE (the coupon
 * rule's `select * from judged`) names no result column and the statement is
 * safe to keep: preparing those long writes afresh cost every ingested order.
 */
function expandsColumns(sql: string): boolean {
  if (writeHead.test(sql)) {
    const at = sql.search(returning);
    return at >= 0 && columnStar.test(sql.slice(at));
  }
  return columnStar.test(sql);
}

function rememberMetadata(prepared: Prepared): Prepared {
  const statement = prepared as unknown as StatementMethods;
  const setRaw = statement.raw.bind(statement);
  const setSafeIntegers = statement.safeIntegers.bind(statement);
  const readColumns = statement.columns.bind(statement);
  // Raw mode is a flag on the statement, so repeating the last toggle is a
  // no-op; a statement that refused raw mode (it returns no rows) refuses again.
  let rawState: boolean | undefined;
  let rawRefusal: unknown;
  statement.raw = (toggle = true) => {
    if (toggle === rawState) return statement;
    if (toggle && rawRefusal !== undefined) throw rawRefusal;
    try {
      setRaw(toggle);
    } catch (error) {
      if (toggle) rawRefusal = error;
      throw error;
    }
    rawState = toggle;
    return statement;
  };
  let safeState: boolean | undefined;
  statement.safeIntegers = (toggle = true) => {
    if (toggle !== safeState) setSafeIntegers(toggle);
    safeState = toggle;
    return statement;
  };
  let columns: unknown;
  statement.columns = () => {
    columns ??= readColumns();
    return columns;
  };
  return prepared;
}

/** How many statements a connection holds (for tests). */
export function cachedStatementCount(connection: object): number {
  return caches.get(connection)?.size ?? 0;
}
