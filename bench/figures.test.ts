import { describe, expect, it } from 'vitest';
import { figure, formatText, formatValue, notMeasured } from './figures.ts';
import { readmeTable } from './readme-table.ts';

describe('benchmark figures', () => {
  it('judges a figure against a max or min target, and leaves unmeasured ones unjudged', () => {
    expect(figure('s', 'wall', 9.9, 's', { kind: 'max', value: 10, text: '< 10 s' }).ok).toBe(true);
    expect(figure('s', 'wall', 10.1, 's', { kind: 'max', value: 10, text: '< 10 s' }).ok).toBe(false);
    expect(figure('s', 'share', 49, '%', { kind: 'min', value: 50, text: '>= 50%' }).ok).toBe(false);
    expect(figure('s', 'share', 50, '%', { kind: 'min', value: 50, text: '>= 50%' }).ok).toBe(true);
    const missing = notMeasured('s', 'rps', 'req/s', 'wrk missing', { kind: 'min', value: 50, text: '>= 50%' });
    expect(missing.ok).toBeUndefined();
    expect(missing.note).toBe('not measured: wrk missing');
  });

  it('marks misses in the text and in the README table', () => {
    const figs = [figure('Run', 'wall time', 23.6, 's', { kind: 'max', value: 10, text: '< 10 s' }), figure('Run', 'p99', 3, 'ms', undefined, 'p50 1 ms'), figure('Run', 'cases per second', 77.3, '/s'), notMeasured('Server', 'rps', 'req/s', 'wrk missing')];
    const text = formatText(figs);
    expect(text).toMatch(/wall time\s+23\.6 s\s+target < 10 s\s+MISSES/);
    expect(text).toContain('not measured: wrk missing');
    const md = readmeTable([{ machine: { node: 'v20', cpus: 2, loadavg: [1, 2, 3], seed: 1, date: '2026-12-01T16:00:00.000Z' }, figures: figs, extras: {} }]);
    expect(md).toContain('| Run | wall time | 23.6 s | < 10 s | **misses** |  |');
    expect(md).toContain('|  | cases per second | 77.3 /s |  |  |  |');
    expect(md).toContain('|  | p99 | 3 ms |  |  | p50 1 ms |');
    expect(md).toContain('| Server | rps | not measured: wrk missing |  |  |  |');
  });

  it('formats values with the digits they deserve', () => {
    expect(formatValue(12345.6, 'req/s')).toBe('12,346 req/s');
    expect(formatValue(1.234, '×')).toBe('1.23 ×');
    expect(formatValue(null, 's')).toBe('-');
  });
});
