// An incremental RFC 4180 CSV reader: text goes in a chunk at a time, complete
// records come out with the physical line they start on (CRLF, LF or CR line
// ends; newlines inside quoted fields counted once). It replaces csv-parse on
// the import path: csv-parse took ~3 s of CPU for 200k order lines where this
// takes ~0.4 s, more than all validation together, and it counts a CRLF inside
// quotes as two lines. Tests check it against csv-parse. It keeps at most one
// unfinished record between chunks; it never looks at what the cells mean.

export interface ScannedRecord {
  fields: string[];
  /** 1-based line the record starts on. */
  line: number;
  /** Set when the record is malformed; its fields are then unreliable. */
  error?: string;
}

const comma = 44;
const quote = 34;
const lf = 10;
const cr = 13;

/** A record longer than this is almost surely an unclosed quote swallowing the file. */
const maxRecordLength = 1 << 20;

export class CsvScanner {
  private tail = '';
  private tailLine = 1;
  private started = false;
  private stopped = false;

  /** Scans `text` (and what was left over); returns the records it completes. */
  push(text: string): ScannedRecord[] {
    if (this.stopped) return [];
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return this.scan(this.tail === '' ? text : this.tail + text, false);
  }

  /** Flushes the last record, which may lack a final line end. */
  end(): ScannedRecord[] {
    if (this.stopped) return [];
    return this.scan(this.tail, true);
  }

  private scan(text: string, final: boolean): ScannedRecord[] {
    const records: ScannedRecord[] = [];
    const n = text.length;
    let i = 0;
    let line = this.tailLine;
    for (;;) {
      const recordStart = i;
      const recordLine = line;
      const fields: string[] = [];
      let error: string | undefined;
      let complete = false;
      for (;;) {
        if (i === n) {
          // End of text at a field start: only final text can end a record here.
          if (!final) break;
          if (fields.length > 0) fields.push('');
          complete = fields.length > 0;
          break;
        }
        let value: string;
        if (text.charCodeAt(i) === quote) {
          let close = -1;
          let escaped = false;
          for (let at = text.indexOf('"', i + 1); at >= 0; at = text.indexOf('"', at + 2)) {
            if (text.charCodeAt(at + 1) === quote) {
              escaped = true;
              continue;
            }
            close = at;
            break;
          }
          // A quote as the very last character may be the first half of "".
          if (close < 0 || (close === n - 1 && !final)) {
            if (final) {
              records.push({ fields: [], line: recordLine, error: 'a quoted field is never closed' });
              i = n;
            }
            break;
          }
          value = text.slice(i + 1, close);
          line += countLines(value);
          if (escaped) value = value.replaceAll('""', '"');
          i = close + 1;
          const next = text.charCodeAt(i);
          if (i < n && next !== comma && next !== lf && next !== cr) {
            error = 'unexpected text after a closing quote';
            while (i < n && text.charCodeAt(i) !== comma && !isLineEnd(text.charCodeAt(i))) i++;
          }
        } else {
          let end = i;
          while (end < n) {
            const code = text.charCodeAt(end);
            if (code === comma || code === lf || code === cr) break;
            end++;
          }
          value = text.slice(i, end);
          i = end;
        }
        fields.push(value);
        if (i === n) {
          complete = final;
          break;
        }
        const code = text.charCodeAt(i);
        if (code === comma) {
          i++;
          continue;
        }
        // A CR at the very end may be the first half of CRLF.
        if (code === cr && i === n - 1 && !final) break;
        i += code === cr && text.charCodeAt(i + 1) === lf ? 2 : 1;
        line++;
        complete = true;
        break;
      }
      if (!complete) {
        this.tail = final ? '' : text.slice(recordStart);
        this.tailLine = recordLine;
        if (this.tail.length > maxRecordLength) {
          // Nothing after an unclosed quote can be trusted; stop reading records.
          records.push({
            fields: [],
            line: recordLine,
            error: 'a record is longer than 1 MB (unclosed quote?)',
          });
          this.tail = '';
          this.stopped = true;
        }
        return records;
      }
      if (!isBlankRecord(fields))
        records.push(error ? { fields, line: recordLine, error } : { fields, line: recordLine });
    }
  }
}

function isLineEnd(code: number): boolean {
  return code === lf || code === cr;
}

/** Line breaks inside a quoted value: CRLF, LF and a lone CR each count once. */
function countLines(value: string): number {
  if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) return 0;
  let lines = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === lf) lines++;
    else if (code === cr && value.charCodeAt(i + 1) !== lf) lines++;
  }
  return lines;
}

/** Empty lines and rows of empty cells (",,,") are layout, not data. */
function isBlankRecord(fields: readonly string[]): boolean {
  if (fields[0]!.trim() !== '') return false;
  return fields.every((field) => field.trim() === '');
}
