// How many rows a write statement changed, from either driver's result:
// libSQL says rowsAffected, D1 says meta.changes.

export function affectedRows(result: unknown): number {
  const value = result as { rowsAffected?: number; meta?: { changes?: number } } | undefined;
  return value?.rowsAffected ?? value?.meta?.changes ?? 0;
}
