// Gathers consecutive rows that share an id into one record, the way shop
// platforms export an order as one row per line item. An id that comes back
// after another record (or twice, for one-row kinds) is rejected: its first
// rows may already be stored, and merging would need the whole file in memory.
// It holds one record's rows at a time plus the (compact) set of ids seen.
import { IdSet } from './id-set.ts';
import type { Row } from './rows.ts';
import { isBlank, readId } from './values.ts';

export interface Problem {
  /** What the summary counts by, e.g. "blank customer_id". */
  key: string;
  message: string;
}

export interface Group {
  id: string;
  rows: Row[];
  /** Set when the whole group is rejected before its values are read. */
  problem?: Problem;
}

const none: readonly Group[] = [];

export class RowGrouper {
  private readonly seen = new IdSet();
  private current: Group | undefined;
  /** Rows rejected on sight while a group is open, released after it to keep line order. */
  private held: Group[] = [];

  constructor(
    private readonly grouped: boolean,
    private readonly noun: string,
  ) {}

  /** Returns the groups this row completes: usually none or one. */
  push(row: Row): readonly Group[] {
    if (row.error !== undefined) {
      return this.rejectNow({ id: '', rows: [row], problem: { key: 'unreadable line', message: row.error } });
    }
    const raw = row.fields.id;
    if (isBlank(raw)) {
      return this.rejectNow({
        id: '',
        rows: [row],
        problem: { key: 'blank id', message: 'id: must not be blank' },
      });
    }
    const id = String(readId(raw)).trim();
    if (this.grouped && this.current?.id === id) {
      this.current.rows.push(row);
      return none;
    }
    const group: Group = { id, rows: [row] };
    if (!this.seen.add(id)) {
      group.problem = this.grouped
        ? {
            key: `${this.noun} id appears again later`,
            message: `${this.noun} '${id}' appears again after other ${this.noun}s; rows of one ${this.noun} must be consecutive`,
          }
        : { key: 'duplicate id', message: `id '${id}' appears earlier in the file` };
    }
    if (!this.grouped) return [group];
    const done = this.release();
    this.current = group;
    return done;
  }

  finish(): readonly Group[] {
    return this.release();
  }

  private rejectNow(group: Group): readonly Group[] {
    if (this.current === undefined) return [group];
    this.held.push(group);
    return none;
  }

  private release(): readonly Group[] {
    const done = this.current ? [this.current, ...this.held] : this.held;
    this.current = undefined;
    this.held = [];
    return done.length > 0 ? done : none;
  }
}
