import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runLoad } from './lib/load-bench.js';
import { parseOptions, type BenchOptions } from './lib/options.js';
import { pinSelf } from './lib/processes.js';
import { renderSlowStreams, runSlowStreams } from './lib/slow-streams.js';
import { renderLoad } from './lib/table.js';
import { ensureWrk } from './lib/wrk.js';

/** Runs the bench the options name and returns the markdown report and where it was written. */
export async function runBench(
  options: BenchOptions,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<{ markdown: string; file: string }> {
  const startedAt = new Date();
  pinSelf();
  let markdown: string;
  if (options.mode === 'load') {
    ensureWrk();
    markdown = renderLoad(await runLoad(options, log), options, startedAt);
  } else {
    markdown = renderSlowStreams(await runSlowStreams(options, log), options, startedAt);
  }
  mkdirSync(options.outDir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z');
  const file = resolve(join(options.outDir, `${stamp}-${options.mode}.md`));
  writeFileSync(file, `${markdown}\n`);
  return { markdown, file };
}

const isMain =
  process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  try {
    const { markdown, file } = await runBench(parseOptions(process.argv.slice(2)));
    process.stdout.write(`${markdown}\n\nwritten to ${file}\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
