// Peak memory of a benchmark's measured part: the kernel's high-water mark
// (VmHWM) where Linux offers it, and an RSS sampler as a portable fallback
// that also catches peaks a single reading at the end would miss.
import { readFileSync } from 'node:fs';

/** Peak resident set size of this process so far, in bytes, or undefined off Linux. */
export function peakRssFromProc(): number | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface RssSampler {
  /** Stops sampling and returns the highest RSS seen, in bytes. */
  stop(): number;
}

export function sampleRss(intervalMs = 50): RssSampler {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

export const megabytes = (bytes: number) => bytes / (1024 * 1024);
