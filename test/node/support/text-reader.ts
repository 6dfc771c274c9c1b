// Reads every row of every table of a libSQL file as TEXT, in a child process:
// a value holding bytes that are not UTF-8 aborts the libSQL driver (a Rust
// panic, exit 134) and would take the test runner down with it.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

const script = `
import { createClient } from '@libsql/client';
const client = createClient({ url: process.argv[1] });
const tables = await client.execute("select name from sqlite_master where type = 'table'");
let values = 0;
for (const { name } of tables.rows) {
  const rows = await client.execute('select * from "' + String(name).replaceAll('"', '""') + '"');
  for (const row of rows.rows) values += row.length;
}
client.close();
console.log(values);
`;

export interface TextRead {
  /** Every value read; false when the driver aborted the process (SIGABRT). */
  ok: boolean;
  stderr: string;
}

export function readEveryValueAsText(url: string): Promise<TextRead> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, url], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ ok: code === 0, stderr }));
  });
}
