// Reads back the aligned text tables the CLI prints (src/cli/io.ts,
// printTable): columns are at least two spaces apart, cells never hold two
// spaces in a row.

/** The rows of the table whose header line starts with `headerStart`, as header -> cell. */
export function tableRows(stdout: string, headerStart: RegExp): Record<string, string>[] {
  const lines = stdout.split('\n');
  const at = lines.findIndex((line) => headerStart.test(line));
  if (at === -1) throw new Error(`no table headed ${headerStart} in:\n${stdout}`);
  const split = (line: string) => line.trim().split(/ {2,}/);
  const header = split(lines[at]!);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '') break;
    const cells = split(line);
    rows.push(Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
  }
  return rows;
}
