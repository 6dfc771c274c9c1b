// Statistics for mailed-versus-holdout comparisons: conversion rates, absolute
// and relative lift, and a 95% confidence interval for the difference of two
// proportions. Pure arithmetic; never reads a clock or a database.
//
// The interval is Newcombe's hybrid score interval (Newcombe 1998, method 10),
// built from each group's Wilson interval. Unlike the Wald interval it stays
// inside [-1, 1] and keeps its coverage when one group has few or no
// conversions, which is the usual case for a small holdout.

/** The two-sided 95% normal quantile. */
export const z95 = 1.959963984540054;

/** Below these, a lift is reported as "not enough data" instead of a number. */
export const minimumSample = {
  /** Members in each group (mailed and held out). */
  perGroup: 30,
  /** Conversions in both groups together. */
  conversions: 5,
} as const;

export interface Group {
  /** Members of the group: messages sent, or held-out messages that fell due. */
  size: number;
  converted: number;
}

export interface Interval {
  low: number;
  high: number;
}

export type Lift =
  | {
      enough: true;
      mailedRate: number;
      holdoutRate: number;
      /** mailedRate - holdoutRate. */
      absolute: number;
      /** absolute / holdoutRate; null when the holdout converted nobody. */
      relative: number | null;
      /** 95% interval for `absolute` (Newcombe hybrid score). */
      ci95: Interval;
      /** True when the interval excludes zero. */
      significant: boolean;
    }
  | {
      enough: false;
      mailedRate: number | null;
      holdoutRate: number | null;
      /** True when no one was held out: there is no control group, so no lift to claim. */
      noControlGroup: boolean;
      /** Why no lift is given, in words a marketer can act on. */
      reason: string;
    };

export function rate(group: Group): number | null {
  return group.size > 0 ? group.converted / group.size : null;
}

/** Wilson score interval for one proportion. */
export function wilsonInterval(converted: number, size: number, z = z95): Interval {
  if (size <= 0) return { low: 0, high: 1 };
  const p = converted / size;
  const z2 = z * z;
  const denominator = size + z2;
  const center = (converted + z2 / 2) / denominator;
  const half = (z * Math.sqrt(size * p * (1 - p) + z2 / 4)) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** Newcombe's hybrid score interval for p1 - p2. */
export function newcombeInterval(a: Group, b: Group, z = z95): Interval {
  const p1 = a.converted / a.size;
  const p2 = b.converted / b.size;
  const w1 = wilsonInterval(a.converted, a.size, z);
  const w2 = wilsonInterval(b.converted, b.size, z);
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

export function computeLift(mailed: Group, holdout: Group): Lift {
  const mailedRate = rate(mailed);
  const holdoutRate = rate(holdout);
  if (holdout.size === 0) {
    const reason = 'no control group: no one was held out, so the campaign cannot show lift';
    return { enough: false, mailedRate, holdoutRate, noControlGroup: true, reason };
  }
  const reason = notEnoughData(mailed, holdout);
  if (reason !== null || mailedRate === null || holdoutRate === null) {
    return { enough: false, mailedRate, holdoutRate, noControlGroup: false, reason: reason ?? 'no members' };
  }
  const ci95 = newcombeInterval(mailed, holdout);
  const absolute = mailedRate - holdoutRate;
  return {
    enough: true,
    mailedRate,
    holdoutRate,
    absolute,
    relative: holdoutRate > 0 ? absolute / holdoutRate : null,
    ci95,
    significant: ci95.low > 0 || ci95.high < 0,
  };
}

function notEnoughData(mailed: Group, holdout: Group): string | null {
  const { perGroup, conversions } = minimumSample;
  if (mailed.size < perGroup || holdout.size < perGroup) {
    return `not enough data: needs at least ${perGroup} mailed and ${perGroup} held out (has ${mailed.size} and ${holdout.size})`;
  }
  if (mailed.converted + holdout.converted < conversions) {
    return `not enough data: needs at least ${conversions} conversions across both groups (has ${mailed.converted + holdout.converted})`;
  }
  return null;
}
