// Preloaded into benchmarked child processes: reports the process's own peak RSS on exit.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nBENCH_RUSAGE ${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
});
