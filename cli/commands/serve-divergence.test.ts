/** `serve --divergence`: comma lists, `list`, and the profiles served. */
import { describe, expect, it } from 'vitest';
import { DIVERGENCES } from '../../mocks/divergences.ts';
import { captureOutput } from '../../suites/helpers/cli.ts';
import { main } from '../main.ts';
import { divergenceNames, runServe } from './serve.ts';

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1' };

describe('serve --divergence', () => {
  it('takes comma lists and repeats, in order, without duplicates', () => {
    expect(divergenceNames(['html-errors,null-success-body', ' json-content-type ', 'html-errors'])).toEqual(['html-errors', 'null-success-body', 'json-content-type']);
  });

  it('list prints one profile a line with its description and exits 0', async () => {
    const c = captureOutput();
    expect(await main(['serve', '--divergence', 'list'], c)).toBe(0);
    const lines = c.stdout().trimEnd().split('\n');
    expect(lines.map((l) => /^(\S+) {2,}(\S.*)$/.exec(l)?.slice(1))).toEqual(Object.entries(DIVERGENCES));
  });

  it('serves every profile of a comma list', async () => {
    const c = captureOutput();
    await runServe({ host: '127.0.0.1', port: '0', quiet: true, divergence: ['html-errors,json-content-type'] }, c, async (server) => {
      const bad = await fetch(server.url, { method: 'POST', headers: { ...JSON_HEADERS, 'x-amz-target': 'TrentService.CreateKey' }, body: '{not json' });
      expect(bad.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await bad.text()).toContain('<html>');
      const ok = await fetch(server.url, { method: 'POST', headers: { ...JSON_HEADERS, 'x-amz-target': 'TrentService.CreateKey' }, body: '{}' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/json');
      await ok.text();
    });
  });
});

