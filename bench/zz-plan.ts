import { planRun } from '../replay/runner.ts';
const before = process.memoryUsage().heapUsed;
const p = planRun({ runs: Number(process.argv[2]), seed: 1 });
globalThis.gc?.();
const json = JSON.stringify(p.cases).length;
console.log(JSON.stringify({ cases: p.cases.length, jobs: p.jobs, heapMB: (process.memoryUsage().heapUsed - before) / 1048576, rssMB: process.resourceUsage().maxRSS / 1024, jsonMB: json / 1048576 }));
