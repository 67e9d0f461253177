import { describe, expect, it } from 'vitest';
import { FaultInjector } from './faults.ts';
import { resolveMockOptions } from './options.ts';
import type { FaultProfile } from './options.ts';

const injector = (faults: FaultProfile) => new FaultInjector(resolveMockOptions({ faults }).faults);

describe('FaultInjector', () => {
  it('draws nothing without a profile', () => {
    const f = injector({});
    expect(f.active).toBe(false);
    expect(f.draw('PutKeyPolicy')).toEqual({ kind: 'none', latencyMs: 0 });
  });

  it('replays the same faults for the same seed, and reset() restarts the stream', () => {
    const seq = (f: FaultInjector) => Array.from({ length: 200 }, () => f.draw('PutKeyPolicy').kind).join(',');
    const profile = { seed: 11, throttleRate: 0.2, serverErrorRate: 0.1, dropRate: 0.05 };
    const a = injector(profile);
    const first = seq(a);
    expect(seq(injector(profile))).toBe(first);
    expect(seq(injector({ ...profile, seed: 12 }))).not.toBe(first);
    a.reset();
    expect(seq(a)).toBe(first);
  });

  it('honours the rates over many draws, and latency stays in [min, max]', () => {
    const f = injector({ seed: 3, throttleRate: 0.2, serverErrorRate: 0.1, dropRate: 0.05, latencyMs: [5, 9] });
    const counts: Record<string, number> = { none: 0, drop: 0, throttle: 0, 'server-error': 0 };
    for (let i = 0; i < 4000; i++) {
      const d = f.draw('GetKeyPolicy');
      counts[d.kind] = (counts[d.kind] ?? 0) + 1;
      expect(d.latencyMs).toBeGreaterThanOrEqual(5);
      expect(d.latencyMs).toBeLessThanOrEqual(9);
    }
    expect(counts.throttle! / 4000).toBeCloseTo(0.2, 1);
    expect(counts['server-error']! / 4000).toBeCloseTo(0.1, 1);
    expect(counts.drop! / 4000).toBeCloseTo(0.05, 1);
  });

  it('applies only to the listed operations', () => {
    const f = injector({ throttleRate: 1, operations: ['PutKeyPolicy'] });
    expect(f.draw('PutKeyPolicy').kind).toBe('throttle');
    expect(f.draw('GetKeyPolicy').kind).toBe('none');
  });
});
