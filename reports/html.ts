/**
 * `report.html`: the run for a person, in one self-contained file that works from `file://` with
 * no network (inline CSS, inline SVG, one inline script allowed by hash in a Content Security
 * Policy that forbids every fetch).
 *
 * Top to bottom: the score (a ring per ratio) and the verdict counts; a bar per topic; the rule
 * table (statement, sources, verdict, counts; sortable, filterable by topic, operation, verdict
 * and text); the expected × observed error-code matrix as a heat map; the failing cases grouped
 * by finding code, each with its replay command, findings, request and response; harness errors,
 * skips and unspecified cases; and the run's settings.
 *
 * Any failing case's replay line is two clicks from the top: "Findings" in the navigation, then
 * the case; or one click from its rule's row (the failure count links to the rule's first failing
 * case, which opens). Everything the target sent is escaped; the script only shows, hides and
 * reorders elements already on the page.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { formatRatio } from '../scoring/aggregate.ts';
import { CASE_FINDING_CODES, type CaseRecord, type ExchangeRecord, type RuleScore, type RunResults, type RunSummary, type VerdictCounts } from '../scoring/results.ts';
import { describeExpected, describeObservation } from '../scoring/verdict.ts';
import { badgeColor } from './badge.ts';
import { DEFAULT_SHOWN_PER_GROUP, digestCases, type CaseDigest } from './digest.ts';
import { clip, countsLine, headline, replayLine, scoreLine, sequenceStepLines, seconds, visible, writeFileAtomic, type WriterOptions } from './common.ts';

/** File name of the HTML report in the report directory. */
export const HTML_FILE = 'report.html';

/** Options of {@link htmlReport}. */
export interface HtmlOptions extends WriterOptions {
  /** Failing cases shown per finding code before "N more" (default 200). */
  readonly maxCasesPerCode?: number;
  /** Characters of a request or response body shown (default 4000). */
  readonly maxBody?: number;
}

/** Text escaped for HTML (content and attribute values), invisible characters as `\uXXXX`. */
export function esc(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const COLORS = { pass: '#2da44e', fail: '#cf222e', unspecified: '#8c959f', skip: '#d0d7de', error: '#bf8700', waived: '#8250df', 'not-exercised': '#eaeef2' } as const;
const COUNT_KEYS = ['pass', 'fail', 'unspecified', 'skip', 'error'] as const;

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--pass:${COLORS.pass};--fail:${COLORS.fail};--unspecified:${COLORS.unspecified};--skip:${COLORS.skip};--error:${COLORS.error};--waived:${COLORS.waived}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1280px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:18px 0 8px}
h4{font-size:13px;margin:12px 0 4px;color:var(--muted)}
.meta{color:var(--muted);margin:0}
nav{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:8px 0;margin-top:10px}
nav a{margin-right:16px;text-decoration:none;color:#0969da;font-weight:600}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px;white-space:pre-wrap;word-break:break-all;margin:4px 0;max-height:360px;overflow:auto}
.cards{display:flex;flex-wrap:wrap;gap:16px;align-items:stretch}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;background:var(--bg)}
.card.score{display:flex;gap:18px;align-items:center}
.ring text{font-weight:700}
.counts{display:grid;grid-template-columns:repeat(3,auto);gap:6px 18px;align-content:center}
.count b{font-size:20px;display:block}
.count span{color:var(--muted)}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.pill.pass{background:var(--pass)}.pill.fail{background:var(--fail)}.pill.unspecified{background:var(--unspecified)}
.pill.skip{background:var(--skip);color:var(--fg)}.pill.error{background:var(--error)}.pill.waived{background:var(--waived)}
.pill.not-exercised{background:#eaeef2;color:var(--muted)}
.warn{border-left:4px solid var(--error);background:#fff8c5;padding:8px 12px;margin:10px 0}
.bad{border-left:4px solid var(--fail);background:#ffebe9;padding:8px 12px;margin:10px 0}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);position:sticky;top:38px;z-index:1}
th button{all:unset;cursor:pointer;font-weight:600}
th button::after{content:" \\2195";color:var(--muted);font-weight:400}
th[aria-sort=ascending] button::after{content:" \\2191"}
th[aria-sort=descending] button::after{content:" \\2193"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.verdict-fail td:first-child{box-shadow:inset 3px 0 var(--fail)}
.stmt{color:var(--muted);max-width:520px}
.reason{color:var(--muted);font-size:12px;font-style:italic}
details>summary{cursor:pointer}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:8px 0}
.filters label{color:var(--muted)}
select,input[type=search]{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:6px}
.heat td{text-align:center;min-width:54px;font-variant-numeric:tabular-nums}
.heat th.row{text-align:right;position:static}
.heat td.zero{color:#c0c6cc}
.case{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:6px 10px}
.case[open]{background:#fcfcfd}
.case>summary{font-weight:500}
.replay{margin:8px 0;padding:6px 10px;border:1px solid #0969da;border-radius:6px;background:#ddf4ff}
.replay code{user-select:all;font-weight:600}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;word-break:break-word}
.legend span{margin-right:12px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
footer{color:var(--muted);max-width:1280px;margin:30px auto;padding:0 20px}
`;

const SCRIPT = `(function(){
var table=document.getElementById('rules');if(!table)return;
var tbody=table.tBodies[0];var rows=Array.prototype.slice.call(tbody.rows);
var topic=document.getElementById('f-topic'),op=document.getElementById('f-op'),verdict=document.getElementById('f-verdict'),q=document.getElementById('f-q'),shown=document.getElementById('rules-shown');
function apply(){var n=0,text=q.value.trim().toLowerCase();
rows.forEach(function(r){var ok=(!topic.value||r.dataset.topic===topic.value)&&(!op.value||r.dataset.ops.split(' ').indexOf(op.value)>=0)&&(!verdict.value||r.dataset.verdict===verdict.value)&&(!text||r.dataset.search.indexOf(text)>=0);r.hidden=!ok;if(ok)n++;});
shown.textContent=n+' of '+rows.length+' rules shown';}
[topic,op,verdict,q].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
table.querySelectorAll('th[data-col] button').forEach(function(btn){btn.addEventListener('click',function(){
var th=btn.parentElement,col=Number(th.dataset.col),num=th.classList.contains('num');
var dir=th.getAttribute('aria-sort')==='descending'?'ascending':(th.getAttribute('aria-sort')==='ascending'?'descending':(num?'descending':'ascending'));
table.querySelectorAll('th[data-col]').forEach(function(o){o.removeAttribute('aria-sort');});th.setAttribute('aria-sort',dir);
var sign=dir==='ascending'?1:-1;
rows.sort(function(a,b){var x=a.cells[col].dataset.sort,y=b.cells[col].dataset.sort;var c=num?Number(x)-Number(y):x.localeCompare(y);return c*sign||Number(a.dataset.order)-Number(b.dataset.order);});
rows.forEach(function(r){tbody.appendChild(r);});});});
function openTarget(){var id=location.hash.slice(1);if(!id)return;var el=document.getElementById(id);if(!el)return;
for(var d=el;d;d=d.parentElement){if(d.tagName==='DETAILS')d.open=true;}el.scrollIntoView();}
window.addEventListener('hashchange',openTarget);openTarget();apply();
})();`;

function sha256Base64(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

function pill(verdict: string): string {
  return `<span class="pill ${esc(verdict)}">${esc(verdict)}</span>`;
}

function ring(ratio: number, label: string, sub: string): string {
  const r = 46;
  const c = 2 * Math.PI * r;
  const filled = Math.max(0, Math.min(1, ratio)) * c;
  return `<svg class="ring" width="124" height="124" viewBox="0 0 124 124" role="img" aria-label="${esc(`${label} ${formatRatio(ratio)}`)}"><title>${esc(`${label}: ${sub}`)}</title>
<circle cx="62" cy="62" r="${r}" fill="none" stroke="#eaeef2" stroke-width="14"/>
<circle cx="62" cy="62" r="${r}" fill="none" stroke="${badgeColor(ratio)}" stroke-width="14" stroke-dasharray="${filled.toFixed(2)} ${(c - filled).toFixed(2)}" transform="rotate(-90 62 62)"/>
<text x="62" y="62" text-anchor="middle" font-size="20" dominant-baseline="middle">${esc(formatRatio(ratio))}</text>
<text x="62" y="84" text-anchor="middle" font-size="11" fill="#59636e">${esc(label)}</text></svg>`;
}

function stackedBar(c: VerdictCounts, width: number, height: number): string {
  const total = COUNT_KEYS.reduce((n, k) => n + c[k], 0);
  if (total === 0) return `<svg width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#eaeef2"/></svg>`;
  let x = 0;
  const parts = COUNT_KEYS.filter((k) => c[k] > 0).map((k) => {
    const w = (c[k] / total) * width;
    const rect = `<rect x="${x.toFixed(2)}" width="${w.toFixed(2)}" height="${height}" fill="${COLORS[k]}"><title>${k}: ${c[k]}</title></rect>`;
    x += w;
    return rect;
  });
  return `<svg width="${width}" height="${height}" role="img" aria-label="${esc(COUNT_KEYS.map((k) => `${k} ${c[k]}`).join(', '))}">${parts.join('')}</svg>`;
}

function legend(): string {
  return `<p class="legend">${COUNT_KEYS.map((k) => `<span><i style="background:${COLORS[k]}"></i>${k}</span>`).join('')}</p>`;
}

function scoreSection(results: RunSummary): string {
  const s = results.score;
  const c = results.counts;
  const counts = ([['pass', c.pass], ['fail', c.fail], ['waived', c.waived], ['unspecified', c.unspecified], ['skip', c.skip], ['error', c.error]] as const)
    .map(([k, n]) => `<div class="count" data-count="${k}"><b style="color:${COLORS[k]}">${n}</b><span>${k}</span></div>`)
    .join('');
  const notes: string[] = [];
  if (results.run.status === 'interrupted') notes.push('<div class="bad"><b>The run was interrupted</b>: not every case ran, so the score covers only the cases that did.</div>');
  if (results.baseline && results.baseline.expired.length > 0) notes.push(`<div class="bad"><b>Expired baseline entries fail the run:</b> ${results.baseline.expired.map((e) => `<code>${esc(e)}</code>`).join(', ')}. Renew or remove them.</div>`);
  if (c.error > 0) notes.push(`<div class="warn">${c.error} case(s) ended in a harness or set-up error; they are not counted against the target (see <a href="#errors">Errors</a>).</div>`);
  return `<section id="score"><h2>Score</h2>
<div class="cards"><div class="card score">${ring(s.caseRatio, 'cases', `${s.casesPassed}/${s.casesDecided} decided cases passed`)}${ring(s.ruleRatio, 'rules', `${s.rulesPassing}/${s.rulesExercised} exercised rules passing`)}
<div><p id="score-line"><b>${esc(scoreLine(s))}</b></p><p class="meta">${esc(countsLine(c))}</p><div class="counts">${counts}</div></div></div></div>
${notes.join('\n')}</section>`;
}

function topicSection(results: RunSummary): string {
  const topics = Object.entries(results.by.topic).sort(([a], [b]) => a.localeCompare(b));
  if (topics.length === 0) return '<section id="topics"><h2>Topics</h2><p>No case reached any rule.</p></section>';
  const rowH = 24;
  const labelW = 150;
  const barW = 520;
  const rows = topics.map(([topic, c], i) => {
    const y = i * rowH;
    const total = COUNT_KEYS.reduce((n, k) => n + c[k], 0);
    let x = labelW;
    const parts = COUNT_KEYS.filter((k) => c[k] > 0).map((k) => {
      const w = (c[k] / Math.max(1, total)) * barW;
      const r = `<rect x="${x.toFixed(2)}" y="${y + 4}" width="${w.toFixed(2)}" height="${rowH - 8}" fill="${COLORS[k]}"><title>${esc(`${topic}: ${c[k]} ${k}`)}</title></rect>`;
      x += w;
      return r;
    });
    return `<g data-topic="${esc(topic)}"><text x="${labelW - 8}" y="${y + rowH / 2}" text-anchor="end" dominant-baseline="middle" font-size="12">${esc(topic)}</text>${parts.join('')}<text x="${labelW + barW + 8}" y="${y + rowH / 2}" dominant-baseline="middle" font-size="12" fill="#59636e">${c.pass}/${c.pass + c.fail} pass${c.fail > 0 ? `, ${c.fail} fail` : ''} (${c.total} cases)</text></g>`;
  });
  return `<section id="topics"><h2>Topics</h2>${legend()}<svg width="${labelW + barW + 220}" height="${topics.length * rowH}" role="img" aria-label="verdicts per topic">${rows.join('')}</svg></section>`;
}

/** Rule verdicts in the order the rule table lists them (failures first). */
const VERDICT_RANK = ['fail', 'waived', 'pass', 'unspecified', 'not-exercised'] as const;

function opsLabel(ops: readonly string[], all: number): string {
  return ops.length === all && all > 3 ? `all ${all}` : ops.join(', ');
}

function ruleSection(results: RunSummary, caseAnchor: ReadonlyMap<string, string>): string {
  const topics = [...new Set(results.rules.map((r) => r.topic))].sort();
  const ops = [...new Set(results.rules.flatMap((r) => r.operations))].sort();
  const verdicts = VERDICT_RANK.filter((v) => results.rules.some((r) => r.verdict === v));
  const option = (v: string): string => `<option value="${esc(v)}">${esc(v)}</option>`;
  const rank = (v: string): number => VERDICT_RANK.indexOf(v as (typeof VERDICT_RANK)[number]);
  const ordered = results.rules.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r.verdict) - rank(b.r.verdict) || a.i - b.i);
  const row = ({ r, i }: { r: RuleScore; i: number }, order: number): string => {
    const c = r.counts;
    const anchor = r.firstFinding ? caseAnchor.get(r.firstFinding.caseId) : undefined;
    const failCell = c.fail > 0 && anchor !== undefined ? `<a href="#${anchor}" title="open the first failing case">${c.fail}</a>` : String(c.fail);
    const sources = r.sources.map((s) => `<li><b>${esc(s.tag)}</b>: ${esc(s.quote)}</li>`).join('');
    const first = r.firstFinding ? `<div><code>${esc(r.firstFinding.code)}</code>: expected ${esc(clip(r.firstFinding.expected, 160))}, observed ${esc(clip(r.firstFinding.observed, 160))}</div>` : r.reason ? `<div class="reason">${esc(r.reason)}</div>` : '';
    return `<tr id="rule-${i}" class="verdict-${esc(r.verdict)}" data-order="${order}" data-rule-id="${esc(r.id)}" data-topic="${esc(r.topic)}" data-ops="${esc(r.operations.join(' '))}" data-verdict="${esc(r.verdict)}" data-search="${esc(`${r.id} ${r.statement}`.toLowerCase())}">
<td data-sort="${esc(r.id)}"><code>${esc(r.id)}</code><div class="stmt">${esc(r.statement)}</div>${first}<details><summary>sources (${r.sources.length})</summary><ul>${sources}</ul></details></td>
<td data-sort="${esc(r.topic)}">${esc(r.topic)}</td><td data-sort="${esc(r.operations.join(' '))}">${esc(opsLabel(r.operations, ops.length))}</td>
<td data-sort="${rank(r.verdict)} ${esc(r.verdict)}">${pill(r.verdict)}</td>
<td class="num" data-sort="${c.pass}">${c.pass}</td><td class="num" data-sort="${c.fail - c.waived}">${failCell}${c.waived > 0 ? ` <span class="meta">(${c.waived} waived)</span>` : ''}</td><td class="num" data-sort="${c.unspecified}">${c.unspecified}</td><td class="num" data-sort="${c.skip}">${c.skip}</td><td class="num" data-sort="${c.error}">${c.error}</td></tr>`;
  };
  const th = (label: string, col: number, num = false): string => `<th data-col="${col}"${num ? ' class="num"' : ''}><button type="button">${label}</button></th>`;
  return `<section id="rules-section"><h2>Rules</h2>
<div class="filters"><label>Topic <select id="f-topic"><option value="">all</option>${topics.map(option).join('')}</select></label>
<label>Operation <select id="f-op"><option value="">all</option>${ops.map(option).join('')}</select></label>
<label>Verdict <select id="f-verdict"><option value="">all</option>${verdicts.map(option).join('')}</select></label>
<label>Search <input id="f-q" type="search" placeholder="rule id or statement"></label><span id="rules-shown" class="meta">${results.rules.length} of ${results.rules.length} rules shown</span></div>
<p class="meta">Failing rules first, then waived, passing, unspecified and not exercised; click a column to sort. A failure count links to the rule's first failing case.</p>
<table id="rules"><thead><tr>${th('Rule', 0)}${th('Topic', 1)}${th('Operations', 2)}${th('Verdict', 3)}${th('Pass', 4, true)}${th('Fail', 5, true)}${th('Unspec.', 6, true)}${th('Skip', 7, true)}${th('Error', 8, true)}</tr></thead>
<tbody>${ordered.map(row).join('\n')}</tbody></table></section>`;
}

const MAX_MATRIX = 30;

function matrixSection(results: RunSummary): string {
  const cells = results.codes;
  if (cells.length === 0) return '<section id="codes"><h2>Error codes</h2><p>No decided case got an answer.</p></section>';
  const totals = (key: 'expected' | 'observed'): string[] => {
    const m = new Map<string, number>();
    for (const c of cells) m.set(c[key], (m.get(c[key]) ?? 0) + c.count);
    const sorted = [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
    return sorted.length > MAX_MATRIX ? [...sorted.slice(0, MAX_MATRIX - 1), '(other)'] : sorted;
  };
  const rows = totals('expected');
  const cols = totals('observed');
  const keyOf = (k: string, list: readonly string[]): string => (list.includes(k) ? k : '(other)');
  const grid = new Map<string, { count: number; fail: number }>();
  for (const c of cells) {
    const k = `${keyOf(c.expected, rows)}\u0000${keyOf(c.observed, cols)}`;
    const g = grid.get(k) ?? { count: 0, fail: 0 };
    g.count += c.count;
    g.fail += c.fail;
    grid.set(k, g);
  }
  const max = Math.max(...[...grid.values()].map((g) => g.count));
  const body = rows
    .map((e) => {
      const tds = cols.map((o) => {
        const g = grid.get(`${e}\u0000${o}`);
        if (g === undefined) return '<td class="zero">·</td>';
        const alpha = 0.15 + 0.75 * (Math.log1p(g.count) / Math.log1p(max));
        const rgb = g.fail > 0 ? '207,34,46' : '45,164,78';
        const fg = alpha > 0.55 ? '#fff' : '#1f2328';
        return `<td style="background:rgba(${rgb},${alpha.toFixed(2)});color:${fg}" title="${esc(`expected ${e}, observed ${o}: ${g.count} case(s), ${g.fail} failing`)}" data-fail="${g.fail}">${g.count}${g.fail > 0 ? ` <small>(${g.fail}&#x2717;)</small>` : ''}</td>`;
      });
      return `<tr><th class="row" scope="row"><code>${esc(e)}</code></th>${tds.join('')}</tr>`;
    })
    .join('\n');
  return `<section id="codes"><h2>Error codes: expected × observed</h2>
<p class="meta">Rows: what the contract accepts (error codes joined with |); columns: what the target answered. Green cells passed, red cells hold failures (✗ = failing cases). Darker = more cases.</p>
<div style="overflow:auto"><table class="heat"><thead><tr><th>expected \\ observed</th>${cols.map((c) => `<th><code>${esc(c)}</code></th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

function exchangeBlock(e: ExchangeRecord, maxBody: number): string {
  const parts: string[] = [];
  const title = `${e.role} · ${e.operation} via ${e.transport}${e.ms > 0 ? ` · ${e.ms} ms` : ''}`;
  if (e.request) {
    const body = e.request.body ?? (e.request.bodyBase64 !== undefined ? `(base64) ${e.request.bodyBase64}` : '');
    const head = Object.entries(e.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n');
    parts.push(`<h4>Request (${esc(title)})</h4><pre class="request">${esc(`${e.request.method} ${e.request.path}\n${head}\n\n${clip(body, maxBody)}`)}</pre>`);
  }
  if (e.response) {
    const head = Object.entries(e.response.headers).map(([k, v]) => `${k}: ${v}`).join('\n');
    parts.push(`<h4>Response</h4><pre class="response">${esc(`${e.response.status}\n${head}\n\n${clip(e.response.body, maxBody)}`)}</pre>`);
  }
  if (e.failure !== undefined) parts.push(`<h4>No response</h4><pre>${esc(e.failure)}</pre>`);
  if (e.sdkError !== undefined) parts.push(`<h4>SDK error</h4><pre>${esc(e.sdkError)}</pre>`);
  return parts.join('');
}

function caseBlock(c: CaseRecord, anchor: string, options: HtmlOptions): string {
  const first = c.findings?.[0];
  const state = c.waived !== undefined ? pill('waived') : pill(c.verdict);
  const summary = `${state} <code>${esc(c.id)}</code> · ${esc(c.ruleIds.join(', '))} · expected ${esc(clip(first?.expected ?? describeExpected(c.expected), 120))} · observed ${esc(clip(first?.observed ?? describeObservation(c.observed), 120))}`;
  const kv: [string, string][] = [
    ['operation', `${c.operation} via ${c.transport}`],
    ['source', c.source + (c.exampleOf !== undefined ? ` (worked example of ${c.exampleOf})` : '')],
    ['expected', describeExpected(c.expected)],
    ['observed', describeObservation(c.observed)],
  ];
  if (c.mutation !== undefined) kv.push(['mutation', c.mutation]);
  if (c.origin !== undefined) kv.push(['origin', `seed ${c.origin.seed}, path ${c.origin.path}`]);
  if (c.sentNote !== undefined) kv.push(['sent', c.sentNote]);
  if (c.waived !== undefined) kv.push(['waived', `by baseline entry ${c.waived.match} (owner ${c.waived.owner}, expires ${c.waived.expires}): ${c.waived.reason}`]);
  if (c.setup !== undefined && c.setup.keys.length > 0) kv.push(['keys', c.setup.keys.map((k) => `${k.arn} (${k.state}${k.multiRegion ? ', multi-Region' : ''}, ${k.keyManager})`).join('; ')]);
  const steps = sequenceStepLines(c);
  if (steps.length > 0) kv.push(['steps', steps.join('\n')]);
  kv.push(['time', `${c.ms} ms`]);
  const findings = (c.findings ?? []).map((f) => `<li><code>${esc(f.code)}</code> [${esc(f.ruleIds.join(', '))}]: ${esc(f.message)}</li>`).join('');
  return `<details class="case" id="${anchor}" data-case-id="${esc(c.id)}"><summary>${summary}</summary>
<div class="replay">Replay: <code class="replay-cmd">${esc(replayLine(c, options.reportDir))}</code></div>
<ul class="findings">${findings}</ul>
<dl class="kv">${kv.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
${c.exchanges.map((e) => exchangeBlock(e, options.maxBody ?? 4000)).join('')}</details>`;
}

function findingsSection(digest: CaseDigest, options: HtmlOptions): string {
  const max = options.maxCasesPerCode ?? DEFAULT_SHOWN_PER_GROUP;
  const groups = digest.failing;
  if (groups.size === 0) return '<section id="findings"><h2>Findings</h2><p>No case failed.</p></section>';
  const order = [...CASE_FINDING_CODES, ...[...groups.keys()].filter((k) => !(CASE_FINDING_CODES as readonly string[]).includes(k))].filter((k) => groups.has(k));
  const toc = order.map((code) => `<a href="#finding-${esc(code)}"><code>${esc(code)}</code> (${groups.get(code)!.count})</a>`).join(' · ');
  const blocks = order.map((code) => {
    const g = groups.get(code)!;
    const shown = g.shown.slice(0, max).map((c) => caseBlock(c, digest.anchors.get(c.id)!, options)).join('\n');
    const more = g.count > max ? `<p class="meta">… and ${g.count - max} more <code>${esc(code)}</code> case(s): every one is in results.json and junit.xml.</p>` : '';
    return `<section class="finding-group" id="finding-${esc(code)}"><h3><code>${esc(code)}</code> — ${g.count} case(s)</h3>${shown}${more}</section>`;
  });
  return `<section id="findings"><h2>Findings</h2><p class="meta">Failing cases grouped by their first finding. Open a case for its replay command, request and response. ${toc}</p>${blocks.join('\n')}</section>`;
}

function groupedReasons(reasons: ReadonlyMap<string, number>): string {
  return `<ul>${[...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `<li>${n} × ${esc(r)}</li>`).join('')}</ul>`;
}

function count(reasons: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const k of reasons.values()) n += k;
  return n;
}

function othersSection(digest: CaseDigest, options: HtmlOptions): string {
  const errors = digest.errors;
  const skips = count(digest.skipReasons);
  const unspecified = count(digest.unspecifiedReasons);
  const max = options.maxCasesPerCode ?? DEFAULT_SHOWN_PER_GROUP;
  const errorRows = errors.shown
    .slice(0, max)
    .map((c) => `<tr><td><code>${esc(c.id)}</code></td><td>${esc(c.stage ?? 'harness')}</td><td>${esc(c.reason ?? '')}</td><td>${esc(c.ruleIds.join(', '))}</td></tr>`)
    .join('');
  return `<section id="errors"><h2>Errors, skips and unspecified cases</h2>
<h3>Harness and set-up errors (${errors.count})</h3>${errors.count === 0 ? '<p>None.</p>' : `<p class="meta">Not counted against the target.</p><table><thead><tr><th>Case</th><th>Stage</th><th>Reason</th><th>Rules</th></tr></thead><tbody>${errorRows}</tbody></table>${errors.count > max ? `<p class="meta">… and ${errors.count - max} more in results.json.</p>` : ''}`}
<h3>Skipped (${skips})</h3>${skips === 0 ? '<p>None.</p>' : groupedReasons(digest.skipReasons)}
<h3>Unspecified: the contract is silent (${unspecified})</h3>${unspecified === 0 ? '<p>None.</p>' : groupedReasons(digest.unspecifiedReasons)}</section>`;
}

function settingsSection(results: RunSummary): string {
  const r = results;
  const kv: [string, string][] = [
    ['target', `${r.target.name} (${r.target.kind}${r.target.endpoint !== undefined ? `, ${r.target.endpoint}` : ''})`],
    ...(r.target.divergences && r.target.divergences.length > 0 ? [['divergence profiles', r.target.divergences.join(', ')] as [string, string]] : []),
    ['transports', r.transports.join(', ')],
    ['contract', `${r.contract.version} (${r.contract.rules} rules, catalogue ${r.contract.catalogueHash})`],
    ['tool', `${r.tool.name} ${r.tool.version}`],
    ['run', `${r.run.id}, ${r.run.status}`],
    ['seed', String(r.run.seed)],
    ['started', r.run.startedAt],
    ['ended', `${r.run.endedAt} (${seconds(r.run.durationMs)} s)`],
    ['command', r.run.command],
    ['world', `partition ${r.world.partition}, account ${r.world.accountId}, Region ${r.world.region}, caller ${r.world.callerArn}`],
    ['principals assumed', r.world.principals.map((p) => `${p.kind} ${p.id}`).join('; ') || '(none)'],
    ['runs per property', String(r.settings.runs)],
    ['sequences', String(r.settings.sequences)],
    ['concurrency', String(r.settings.concurrency)],
    ['max keys', String(r.settings.maxKeys)],
    ['converge timeout', `${r.settings.convergeTimeoutMs} ms`],
    ['allow remote', String(r.settings.allowRemote)],
    ['allow lockout', String(r.settings.allowLockout)],
    ...(r.settings.shard ? [['shard', `${r.settings.shard.index}/${r.settings.shard.count}`] as [string, string]] : []),
    ['keys', `${r.cleanup.created} created, ${r.cleanup.scheduledForDeletion} scheduled for deletion`],
  ];
  if (r.baseline) kv.push(['baseline', `${r.baseline.file}: ${r.baseline.waived} waived; stale: ${r.baseline.stale.join(', ') || 'none'}; expired: ${r.baseline.expired.join(', ') || 'none'}`]);
  const notCleaned = r.cleanup.notCleaned.length === 0 ? '' : `<div class="warn"><b>Keys not cleaned up</b> (delete them by hand):<ul>${r.cleanup.notCleaned.map((k) => `<li><code>${esc(k.arn)}</code>: ${esc(k.reason)}</li>`).join('')}</ul></div>`;
  const dims = (['operation', 'transport', 'source', 'mutation', 'member'] as const)
    .map((d) => {
      const entries = Object.entries(r.by[d]);
      if (entries.length === 0) return '';
      const rows = entries.map(([k, c]) => `<tr><td><code>${esc(k)}</code></td><td>${stackedBar(c, 160, 10)}</td>${COUNT_KEYS.map((v) => `<td class="num">${c[v]}</td>`).join('')}</tr>`).join('');
      return `<details><summary>By ${d} (${entries.length})</summary><table><thead><tr><th>${d}</th><th></th>${COUNT_KEYS.map((v) => `<th class="num">${v}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></details>`;
    })
    .join('');
  return `<section id="settings"><h2>Run settings</h2>${notCleaned}<dl class="kv">${kv.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl><h3>Breakdown</h3>${dims}</section>`;
}

/** The HTML report as one self-contained document. */
export function htmlReport(results: RunResults, options: HtmlOptions = {}): string {
  return htmlDocument(results, digestCases(results.cases, results.rules, options.maxCasesPerCode), options);
}

/**
 * The HTML report from the run's summary and the {@link CaseDigest} of its cases (how
 * `writeReportsFromStream` writes it without holding every case). `digest` must have been gathered
 * with at least `options.maxCasesPerCode` shown per group.
 */
export function htmlDocument(results: RunSummary, digest: CaseDigest, options: HtmlOptions = {}): string {
  const caseAnchor = digest.anchors;
  const title = `KMS conformance: ${results.target.name} — ${headline(results.score)}`;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${sha256Base64(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${CSS}</style></head>
<body>
<header><h1>${esc(title)}</h1>
<p class="meta">${esc(`Contract ${results.contract.version} · seed ${results.run.seed} · ${results.transports.join(' + ')} · ${results.run.startedAt} · ${seconds(results.run.durationMs)} s · ${results.tool.name} ${results.tool.version}${results.run.status === 'interrupted' ? ' · INTERRUPTED' : ''}`)}</p>
<nav><a href="#score">Score</a><a href="#topics">Topics</a><a href="#rules-section">Rules</a><a href="#codes">Error codes</a><a href="#findings">Findings</a><a href="#errors">Errors</a><a href="#settings">Settings</a></nav></header>
<main>
${scoreSection(results)}
${topicSection(results)}
${ruleSection(results, caseAnchor)}
${matrixSection(results)}
${findingsSection(digest, options)}
${othersSection(digest, options)}
${settingsSection(results)}
</main>
<footer>Generated by ${esc(results.tool.name)} ${esc(results.tool.version)} from results.json (schema version ${results.schemaVersion}). Reproduce: <code>${esc(results.run.command)}</code></footer>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** Writes `report.html` into `dir` (atomically) and returns its path. */
export function writeHtml(results: RunResults, dir: string, options: HtmlOptions = {}): string {
  return writeFileAtomic(join(dir, HTML_FILE), htmlReport(results, options));
}
