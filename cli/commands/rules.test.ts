import { describe, expect, it } from 'vitest';
import { RULES, rulesFor } from '../../contract/rules/index.ts';
import { runCli } from '../../suites/helpers/cli.ts';

describe('kms-conformance rules', () => {
  it('lists every rule of the latest contract with statement, outcomes and sources', async () => {
    const r = await runCli(['rules']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^Contract 2025-06-05: /);
    for (const rule of rulesFor('2025-06-05')) expect(r.out, rule.id).toContain(`\n${rule.id}\n`);
    expect(r.out).toContain('accepts: MalformedPolicyDocumentException 400');
    expect(r.out).toContain('accepts: NotFoundException 400|404');
    expect(r.out).toContain('accepts: success');
    expect(r.out).toContain('  M1 "');
    expect(r.out).toContain('⚠ ');
  });

  it('ends with what each source tag it printed means, and only those', async () => {
    const r = await runCli(['rules', '--topic', 'wire']);
    expect(r.code).toBe(0);
    const [listing, legend = ''] = r.out.split('Source tags (each quote above is verbatim from its source):\n');
    const printed = new Set([...(listing ?? '').matchAll(/^ {2}([A-Z][A-Za-z0-9-]*) "/gm)].map((m) => m[1]));
    const explained = [...legend.matchAll(/^ {2}([A-Z][A-Za-z0-9-]*): \S/gm)].map((m) => m[1]);
    expect(printed.size).toBeGreaterThan(0);
    expect(new Set(explained)).toEqual(printed);
    expect(legend).toContain('SPT: Smithy AWS protocol compliance tests');
  });

  it('--json prints {contractVersion, rules} with ids, sources and version-specific outcomes', async () => {
    const r = await runCli(['rules', '--json']);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { contractVersion: string; rules: { id: string; sources: unknown[]; outcomes: unknown[] }[] };
    expect(parsed.contractVersion).toBe('2025-06-05');
    expect(parsed.rules.map((x) => x.id)).toEqual(rulesFor('2025-06-05').map((x) => x.id));
    const quota = parsed.rules.find((x) => x.id === 'PutKeyPolicy.Policy.size.quota')!;
    expect(quota.outcomes).toEqual([expect.objectContaining({ code: 'LimitExceededException' })]);
    for (const rule of parsed.rules) expect(rule.sources.length, rule.id).toBeGreaterThan(0);
  });

  it('--json shows the outcomes and bases the contract audit corrected (issue 11)', async () => {
    type Out = { kind: string; code?: string; basis?: string };
    const parsed = JSON.parse((await runCli(['rules', '--json'])).out) as { rules: { id: string; outcomes: Out[]; disagreement?: string; statement: string }[] };
    const byId = new Map(parsed.rules.map((x) => [x.id, x]));
    const codes = (id: string): string[] => byId.get(id)!.outcomes.map((o) => o.code ?? o.kind);
    expect(codes('PutKeyPolicy.Policy.statement.notPrincipal')).toEqual(['MalformedPolicyDocumentException']);
    expect(codes('PutKeyPolicy.Policy.statement.notPrincipal.deny')).toEqual(['MalformedPolicyDocumentException', 'success']);
    expect(codes('PutKeyPolicy.Policy.statement.principal.arn')).toEqual(['MalformedPolicyDocumentException', 'InvalidArnException']);
    expect(byId.get('PutKeyPolicy.Policy.statement.principal.arn')!.disagreement).toMatch(/InvalidArnException/);
    expect(byId.get('Throttling.PutKeyPolicy')!.statement).toMatch(/at any rate/);
    const arn = byId.get('KeyId.alias')!.outcomes.find((o) => o.code === 'InvalidArnException')!;
    expect(arn.basis).toBe('not observed for KMS (§4); model httpError 400 (M1)');
    const malformed = byId.get('PutKeyPolicy.Policy.document.json')!.outcomes[0]!;
    expect(malformed.basis).toMatch(/^observed 400 in issue logs \(ISS/);
  });

  it('--json total counts the rules it lists, after the version and the filters', async () => {
    for (const argv of [['rules', '--json'], ['rules', '--json', '--contract', '2017'], ['rules', '--json', '--topic', 'alias'], ['rules', '--json', '--operation', 'ListKeys', '--topic', 'pagination']]) {
      const parsed = JSON.parse((await runCli(argv)).out) as { total: number; rules: unknown[] };
      expect(parsed.total, argv.join(' ')).toBe(parsed.rules.length);
      expect(parsed.total, argv.join(' ')).toBeGreaterThan(0);
    }
    expect((JSON.parse((await runCli(['rules', '--json', '--topic', 'alias'])).out) as { total: number }).total).toBe(6);
  });

  it('--contract selects a version (PolicyName required in 2017, default from 2024-03)', async () => {
    const old = JSON.parse((await runCli(['rules', '--json', '--contract', '2017'])).out) as { contractVersion: string; rules: { id: string }[] };
    expect(old.contractVersion).toBe('2017-02-15');
    expect(old.rules.map((x) => x.id)).toContain('PutKeyPolicy.PolicyName.required');
    expect(old.rules.map((x) => x.id)).not.toContain('PutKeyPolicy.PolicyName.default');
    const mid = JSON.parse((await runCli(['rules', '--json', '--contract', '2024-03'])).out) as { contractVersion: string; rules: { id: string }[] };
    expect(mid.contractVersion).toBe('2024-03-18');
    expect(mid.rules.map((x) => x.id)).toContain('PutKeyPolicy.PolicyName.default');
  });

  it('every rule is listed under some version', async () => {
    const ids = new Set<string>();
    for (const v of ['2017-02-15', '2024-03-18', '2025-06-05']) for (const x of (JSON.parse((await runCli(['rules', '--json', '--contract', v])).out) as { rules: { id: string }[] }).rules) ids.add(x.id);
    expect([...ids].sort()).toEqual(RULES.map((x) => x.id).sort());
  });

  it('--topic and --operation filter', async () => {
    const r = JSON.parse((await runCli(['rules', '--json', '--topic', 'key-state', '--operation', 'enablekey'])).out) as { rules: { id: string }[] };
    expect(r.rules).toHaveLength(8);
    expect(r.rules.every((x) => x.id.startsWith('KeyState.EnableKey.'))).toBe(true);
  });

  it('--contract 1999 → exit 2 listing the valid values', async () => {
    const r = await runCli(['rules', '--contract', '1999']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    // The library's error names its option (contractVersion); the command line names the flag and adds an example.
    expect(r.err).toContain("kms-conformance: --contract: unknown contract version '1999'");
    expect(r.err).toContain('Example: --contract 2024-03-18');
    expect(r.err).not.toContain('contractVersion');
    for (const v of ['latest', '2017-02-15', '2024-03-18', '2025-06-05']) expect(r.err).toContain(v);
  });

  it('an unknown flag → exit 2 with a message', async () => {
    const r = await runCli(['rules', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown option '--bogus'");
  });

  it('an unknown topic or operation → exit 2 naming the value and the valid ones', async () => {
    const t = await runCli(['rules', '--topic', 'nope']);
    expect(t.code).toBe(2);
    expect(t.err).toContain("unknown topic 'nope'");
    expect(t.err).toContain('policy-document');
    const o = await runCli(['rules', '--operation', 'Encrypt']);
    expect(o.code).toBe(2);
    expect(o.err).toContain("unknown operation 'Encrypt'");
    expect(o.err).toContain('PutKeyPolicy');
  });
});
