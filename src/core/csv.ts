// The one CSV writer's rules (RFC 4180): a field with a quote, comma or line
// break is quoted, quotes doubled; a line is its fields joined by commas. Used
// by every CSV Rekindle writes (coupon export, the demo's orders export,
// sweep --recipients). Pure.

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line, with its line break. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}
