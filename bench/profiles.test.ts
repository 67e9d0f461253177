import { describe, expect, it } from 'vitest';
import { scoreProfiles } from './profiles.ts';

describe('scoreProfiles', () => {
  it('scores a profile caught exactly, and reports extra and missed rules against another declaration', async () => {
    const seen: string[] = [];
    const exact = await scoreProfiles({ profiles: ['json-content-type'], runs: 2, onProfile: (s) => seen.push(s.profile) });
    expect(seen).toEqual(['json-content-type']);
    expect(exact).toMatchObject({ profiles: 1, caught: 1, exact: 1, falsePositives: [], missed: [] });
    expect(exact.results[0]).toMatchObject({ failed: ['Wire.response.contentType'], errors: 0 });

    const wrong = await scoreProfiles({ profiles: ['json-content-type'], runs: 2, breaks: { 'json-content-type': ['Wire.success.requestId'] } });
    expect(wrong).toMatchObject({
      profiles: 1,
      caught: 0,
      exact: 0,
      falsePositives: [{ profile: 'json-content-type', extraRules: ['Wire.response.contentType'] }],
      missed: [{ profile: 'json-content-type', missedRules: ['Wire.success.requestId'] }],
    });
  }, 120_000);

  it('refuses an unknown profile by name', async () => {
    await expect(scoreProfiles({ profiles: ['nope' as never] })).rejects.toThrow(/unknown profile "nope"; valid: skip-lockout-check/);
  });
});
