// How an SMS text travels: in the GSM 7-bit default alphabet (3GPP TS 23.038)
// when every character is in it or its extension table (those count two
// septets: the escape and the character), else in UCS-2 (UTF-16 code units);
// and in how many segments. One segment holds 160 septets or 70 code units;
// a longer text is split into segments of 153 septets or 67 code units (the
// rest is the concatenation header), never splitting an escape pair or a
// surrogate pair across two segments, as phones and carriers count them.

const gsmBasic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const gsmExtension = '\f^{}\\[~]|€';
const basic = new Set(gsmBasic);
const extension = new Set(gsmExtension);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSize {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** The characters that force UCS-2 (none for GSM-7), for `validate` to name. */
  nonGsm: string[];
}

export function smsSize(text: string): SmsSize {
  const chars = [...text];
  const nonGsm = [...new Set(chars.filter((c) => !basic.has(c) && !extension.has(c)))];
  if (nonGsm.length === 0) {
    const widths = chars.map((c) => (extension.has(c) ? 2 : 1));
    return { encoding: 'GSM-7', ...pack(widths, 160, 153), nonGsm };
  }
  // A character outside the BMP is a surrogate pair: two code units that stay together.
  const widths = chars.map((c) => c.length);
  return { encoding: 'UCS-2', ...pack(widths, 70, 67), nonGsm };
}

/** Units and segments for characters of these widths: one segment up to `single`, else `perPart` each, no character split. */
function pack(
  widths: readonly number[],
  single: number,
  perPart: number,
): { units: number; segments: number } {
  const units = widths.reduce((sum, w) => sum + w, 0);
  if (units <= single) return { units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > perPart) {
      segments++;
      used = 0;
    }
    used += width;
  }
  return { units, segments };
}
