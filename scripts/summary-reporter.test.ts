import { describe, expect, it } from 'vitest';
import SummaryReporter from './summary-reporter.ts';

type FakeTest = { result: () => { state: string } };
const mod = (states: string[], moduleState = 'passed') => ({
  state: () => moduleState,
  children: { allTests: () => states.map((s): FakeTest => ({ result: () => ({ state: s }) })) },
});

describe('SummaryReporter', () => {
  it('prints one plain closing line with the counts', () => {
    const written: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (written.push(s), true)) as typeof process.stdout.write;
    try {
      new SummaryReporter().onTestRunEnd([mod(['passed', 'passed', 'failed']), mod(['skipped']), mod([], 'failed')] as never);
    } finally {
      process.stdout.write = orig;
    }
    expect(written.join('')).toBe('\ntests: 2 passed, 2 failed, 1 skipped\n');
  });
});
