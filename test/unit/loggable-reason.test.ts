// Log lines carry an error's reason but never the values of the query that
// failed: drizzle puts the bound parameters (addresses, names, IPs) into its
// error message, the driver's own error does not.
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loggableReason } from '../../src/core/errors.ts';

const query = 'insert into "tracking_events" select ... from json_each(?)';
const params = ['[["m1","click",1,0,0,"Thunderbird/128.0","198.51.100.7"]]', 'ada@example.com'];

describe('loggableReason', () => {
  it("gives a failed query's driver error, not its parameters", () => {
    const error = new DrizzleQueryError(query, params, new Error('SQLITE_BUSY: database is locked'));
    expect(error.message).toContain('ada@example.com');
    expect(loggableReason(error)).toBe('SQLITE_BUSY: database is locked');
  });

  it('says only that a query failed when there is no driver error to give', () => {
    const error = new DrizzleQueryError(query, params, undefined);
    expect(loggableReason(error)).toBe('a database query failed');
  });

  it('keeps the first line of any other error, and non-errors as text', () => {
    expect(loggableReason(new Error('connect ECONNREFUSED 127.0.0.1:2525\n    at stack'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:2525',
    );
    expect(loggableReason('timeout')).toBe('timeout');
  });
});
