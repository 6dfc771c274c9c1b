// The row shape both file readers produce: API field name -> cell value, plus
// the physical line it started on, so every rejection can point at the file.

export interface Row {
  /** 1-based physical line where the row starts; the CSV header is line 1. */
  line: number;
  fields: Record<string, unknown>;
  /** JSON Lines only: a record's items given inline, API-shaped. */
  items?: unknown;
  /** The line could not be read at all (broken quoting, invalid JSON). */
  error?: string;
}

export interface RowBatch {
  rows: Row[];
  /** Bytes of the file read so far, for progress. */
  bytes: number;
}
