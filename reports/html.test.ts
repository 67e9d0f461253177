import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayCommand } from './common.ts';
import { HTML_FILE, esc, htmlReport, writeHtml } from './html.ts';
import { buildRunResults } from './test/fixtures.ts';
import { openBrowser, type BrowserSession } from './test/browser.ts';

const results = buildRunResults();
const failing = results.rules.filter((r) => r.verdict === 'fail');

describe('htmlReport (as text)', () => {
  const html = htmlReport(results);

  it('is self-contained: no external URL in any src or href, one inline script allowed by its hash', () => {
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\((?!#)/i);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(1);
    const hash = createHash('sha256').update(scripts[0]![1]!, 'utf8').digest('base64');
    expect(html).toContain(`script-src &#39;sha256-${hash}&#39;`);
    expect(html).toContain('default-src &#39;none&#39;');
  });

  it('escapes what the target sent: a script in a response body stays text', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(esc(`<a href="x" onclick='y'>&amp;\u0001`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;\\u0001');
  });

  it('shows the same score line and every failing rule', () => {
    expect(html).toContain('Score 33.3%: 6/18 decided cases passed; rules 8/20 passing (40.0%)');
    for (const r of failing) expect(html).toContain(`data-rule-id="${r.id}" data-topic="${r.topic}" data-ops="${r.operations.join(' ')}" data-verdict="fail"`);
  });

  it('caps the cases shown per finding code and says how many it left out', () => {
    const big = buildRunResults({ extraFailures: 30 });
    const capped = htmlReport(big, { maxCasesPerCode: 5 });
    const accepted = big.cases.filter((c) => c.verdict === 'fail' && c.findings?.[0]?.code === 'accepted_invalid_input').length;
    expect(capped).toContain(`… and ${accepted - 5} more <code>accepted_invalid_input</code> case(s)`);
  });
});

describe('report.html in headless Chromium', () => {
  let dir: string;
  let browser: BrowserSession;
  let url: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kmsc-html-'));
    url = pathToFileURL(writeHtml(results, dir)).href;
    browser = await openBrowser();
    browser.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await browser.page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders every rule row, failing rules first, and a screenshot of the top of the page', async () => {
    const page = browser.page;
    await expect(page.locator('#rules tbody tr').count()).resolves.toBe(results.rules.length);
    const verdicts = await page.locator('#rules tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verdict')));
    expect(verdicts.slice(0, failing.length)).toEqual(failing.map(() => 'fail'));
    await expect(page.locator('#score-line').innerText()).resolves.toContain('Score 33.3%');
    await expect(page.locator('#topics svg g[data-topic]').count()).resolves.toBe(Object.keys(results.by.topic).length);
    await expect(page.locator('.heat tbody tr').count()).resolves.toBe(new Set(results.codes.map((c) => c.expected)).size);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    process.stdout.write(`report.html screenshot: ${shot}\n`);
  });

  it('filters the rule table by verdict, topic, operation and text', async () => {
    const page = browser.page;
    const visible = async (): Promise<string[]> => page.locator('#rules tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule-id') ?? ''));
    await page.selectOption('#f-verdict', 'fail');
    expect((await visible()).sort()).toEqual(failing.map((r) => r.id).sort());
    await expect(page.locator('#rules-shown').innerText()).resolves.toBe(`${failing.length} of ${results.rules.length} rules shown`);
    await page.selectOption('#f-topic', 'wire');
    expect((await visible()).sort()).toEqual(failing.filter((r) => r.topic === 'wire').map((r) => r.id).sort());
    await page.selectOption('#f-verdict', '');
    expect((await visible()).length).toBe(results.rules.filter((r) => r.topic === 'wire').length);
    await page.selectOption('#f-topic', '');
    await page.selectOption('#f-op', 'ListKeyPolicies');
    expect((await visible()).sort()).toEqual(results.rules.filter((r) => r.operations.includes('ListKeyPolicies')).map((r) => r.id).sort());
    await page.selectOption('#f-op', '');
    await page.fill('#f-q', 'lockout');
    const found = await visible();
    expect(found).toContain('PutKeyPolicy.Policy.lockout');
    expect(found.every((id) => id.toLowerCase().includes('lockout') || results.rules.find((r) => r.id === id)!.statement.toLowerCase().includes('lockout'))).toBe(true);
    await page.fill('#f-q', '');
    expect((await visible()).length).toBe(results.rules.length);
  });

  it('sorts the rule table by a count column', async () => {
    const page = browser.page;
    await page.click('#rules th[data-col="4"] button');
    const first = await page.locator('#rules tbody tr').first().getAttribute('data-rule-id');
    const maxPass = Math.max(...results.rules.map((r) => r.counts.pass));
    expect(results.rules.find((r) => r.id === first)!.counts.pass).toBe(maxPass);
    await expect(page.locator('#rules th[data-col="4"]').getAttribute('aria-sort')).resolves.toBe('descending');
    await page.click('#rules th[data-col="4"] button');
    const last = await page.locator('#rules tbody tr').first().getAttribute('data-rule-id');
    expect(results.rules.find((r) => r.id === last)!.counts.pass).toBe(0);
  });

  it('reaches a failing case\'s replay line in two clicks from the top: Findings, then the case', async () => {
    const page = browser.page;
    await page.goto(url);
    const target = results.cases.find((c) => c.id === 'request:4242:9/http')!;
    const details = page.locator(`details.case[data-case-id="${target.id}"]`);
    const cmd = details.locator('.replay-cmd');
    await expect(cmd.isVisible()).resolves.toBe(false);
    await page.click('nav a[href="#findings"]');
    await details.locator('summary').click();
    await cmd.waitFor({ state: 'visible', timeout: 10_000 });
    await expect(cmd.isVisible()).resolves.toBe(true);
    await expect(cmd.innerText()).resolves.toBe(replayCommand(target.replayFile!));
  });

  it('reaches a rule\'s first failing case in one click from its row (the case opens)', async () => {
    const page = browser.page;
    await page.goto(url);
    const rule = failing.find((r) => r.id === 'KeyId.notFound')!;
    const row = page.locator(`#rules tbody tr[data-rule-id="${rule.id}"]`);
    await row.locator('td:nth-child(6) a').click();
    const details = page.locator(`details.case[data-case-id="${rule.firstFinding!.caseId}"]`);
    // The page opens the case on 'hashchange', a task queued after the click: wait (bounded) for it.
    await details.locator('.replay-cmd').waitFor({ state: 'visible', timeout: 10_000 });
    await expect(details.getAttribute('open')).resolves.not.toBeNull();
    await expect(details.locator('.replay-cmd').isVisible()).resolves.toBe(true);
    await expect(details.locator('.replay-cmd').innerText()).resolves.toBe(replayCommand(rule.firstReplayFile!));
  });

  it('logged no console error, made no request but the file itself, and ran no script from the data', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.failedRequests).toEqual([]);
    expect(browser.requests.length).toBeGreaterThan(0);
    for (const r of browser.requests) expect(r).toBe(url + (r.includes('#') ? r.slice(r.indexOf('#')) : ''));
    expect(dialogs).toEqual([]);
  });
});

describe('writeHtml', () => {
  it('writes report.html and returns its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmsc-html-w-'));
    try {
      expect(writeHtml(results, dir)).toBe(join(dir, HTML_FILE));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
