/**
 * Preloaded by the memory benchmark into the process it measures (`node --import tsx --import
 * ./bench/peak-rss.ts cli/main.ts run …`): when that process exits, this writes its peak RSS
 * (`process.resourceUsage().maxRSS`, in MB) as JSON to the file named by `KMSC_PEAK_RSS_FILE`.
 * The command line runs as a user runs it; the bench never imports it.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.KMSC_PEAK_RSS_FILE;
if (file !== undefined && file !== '') {
  process.on('exit', (code) => {
    writeFileSync(file, `${JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024, exitCode: code })}\n`);
  });
}
