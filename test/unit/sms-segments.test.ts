// SMS encoding and segment counts at their boundaries (3GPP TS 23.038's
// alphabet; 160/153 septets, 70/67 UCS-2 code units a segment), the
// extension table's characters counting two septets, and no escape or
// surrogate pair split between two segments.
import { describe, expect, it } from 'vitest';
import { smsSize } from '../../src/core/sms/segments.ts';

const size = (text: string) => {
  const { encoding, units, segments } = smsSize(text);
  return { encoding, units, segments };
};

describe('smsSize', () => {
  it('counts GSM-7 at 160 / 161 / 306 / 307 septets', () => {
    expect(size('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(size('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(size('a'.repeat(306))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
    expect(size('a'.repeat(307))).toEqual({ encoding: 'GSM-7', units: 307, segments: 3 });
  });

  it("counts the extension table's characters as two septets and never splits one", () => {
    expect(size('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(size(`${'a'.repeat(159)}€`)).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    // 152 septets then a two-septet character: it moves whole to the second segment.
    expect(size(`${'a'.repeat(152)}[${'a'.repeat(152)}`)).toEqual({
      encoding: 'GSM-7',
      units: 306,
      segments: 3,
    });
  });

  it("is GSM-7 for the alphabet's accented letters and UCS-2 for anything outside it, naming what", () => {
    expect(smsSize('Café, Ünïcode? Ñ à ù ß').encoding).toBe('UCS-2');
    expect(smsSize('Café Ñ à ù ß Ä').encoding).toBe('GSM-7');
    expect(smsSize('façade ç').nonGsm).toEqual(['ç']);
    expect(size('ж'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(size('ж'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(size('ж'.repeat(134))).toEqual({ encoding: 'UCS-2', units: 134, segments: 2 });
    expect(size('ж'.repeat(135))).toEqual({ encoding: 'UCS-2', units: 135, segments: 3 });
  });

  it('keeps a surrogate pair whole: an emoji is two code units in one segment', () => {
    expect(size('🙂')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(size(`${'a'.repeat(66)}🙂${'a'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      units: 134,
      segments: 3,
    });
    expect(size('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 1 });
  });
});
