// The few MIME encodings a marketing email needs, written against Web APIs
// only so the Worker (no nodejs_compat) composes messages the same way as
// Node: quoted-printable bodies (RFC 2045), encoded-word headers (RFC 2047),
// and header folding (RFC 5322). Output is always 7-bit ASCII with CRLF line
// ends. Pure; never decode here.

const encoder = new TextEncoder();
const hexDigits = '0123456789ABCDEF';
// Printable ASCII except '=', plus space and tab: the bytes QP may leave as they are.
const plainQpLine = /^[ \t!-<>-~]*$/;
const maxQpLine = 76;

/** Quoted-printable over the UTF-8 bytes of `text`; any line break becomes CRLF. */
export function quotedPrintable(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) lines[i] = qpLine(lines[i]!);
  return lines.join('\r\n');
}

function qpLine(line: string): string {
  const endsInSpace = line.endsWith(' ') || line.endsWith('\t');
  if (line.length <= maxQpLine && !endsInSpace && plainQpLine.test(line)) return line;
  const bytes = encoder.encode(line);
  let out = '';
  let width = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const last = i === bytes.length - 1;
    const plain = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
    const token = plain ? String.fromCharCode(byte) : `=${hexDigits[byte >> 4]}${hexDigits[byte & 15]}`;
    // A soft break ('=' at the end) needs its own column, unless this token ends the line.
    const limit = last ? maxQpLine : maxQpLine - 1;
    if (width + token.length > limit) {
      out += '=\r\n';
      width = 0;
    }
    out += token;
    width += token.length;
  }
  return out;
}

/** Standard base64 of bytes, unwrapped. */
export function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** True when a header value can be written as it is: printable ASCII and spaces. */
export function isPlainHeaderText(value: string): boolean {
  return /^[\x20-\x7E]*$/.test(value);
}

// 75 chars per encoded word (RFC 2047 §2) minus "=?UTF-8?B?" and "?=" leaves
// 63 base64 chars: 45 bytes, a multiple of 3, so no word needs padding mid-text.
const wordBytes = 45;

/**
 * Encoded words for unstructured text (a subject, a display name), split on
 * character boundaries so no word carries half a UTF-8 sequence. Joined by
 * folding whitespace, which decoders drop between adjacent encoded words.
 */
export function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk: number[] = [];
  for (const char of text) {
    const bytes = encoder.encode(char);
    if (chunk.length + bytes.length > wordBytes) {
      words.push(word(chunk));
      chunk = [];
    }
    for (const byte of bytes) chunk.push(byte);
  }
  if (chunk.length > 0 || words.length === 0) words.push(word(chunk));
  return words.join('\r\n ');
}

function word(bytes: number[]): string {
  return `=?UTF-8?B?${base64(Uint8Array.from(bytes))}?=`;
}

/** Header text with any line break or control character turned into a space (no header injection). */
export function singleLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  return value.replace(/[\x00-\x1F\x7F]+/g, ' ').trim();
}

/** An unstructured header value: as it is when plain ASCII, encoded words otherwise; folded. */
export function unstructured(value: string): string {
  const clean = singleLine(value);
  return isPlainHeaderText(clean) ? clean : encodedWords(clean);
}

/**
 * "Name: value" folded before 78 columns at spaces where it can be (RFC 5322
 * §2.2.3); a run without spaces longer than a line stays whole, which is
 * allowed up to 998 columns. Values that are already folded keep their folds.
 */
export function headerLine(name: string, value: string): string {
  const segments = `${name}: ${value}`.split('\r\n');
  // Never fold right after "Name:": the value starts on the header's own line.
  return segments.map((segment, i) => foldSegment(segment, i === 0 ? name.length + 2 : 1)).join('\r\n');
}

function foldSegment(segment: string, firstFold: number): string {
  if (segment.length <= 78) return segment;
  const lines: string[] = [];
  let rest = segment;
  let from = firstFold;
  while (rest.length > 78) {
    // Fold before a space at or before column 78 where there is one, else at the first after it.
    let at = rest.lastIndexOf(' ', 78);
    if (at < from) at = rest.indexOf(' ', Math.max(from, 79));
    from = 1;
    if (at <= 0) break;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  lines.push(rest);
  return lines.join('\r\n');
}
