import { parseArgs } from 'node:util';
import type { TargetName } from './targets.js';

export interface LoadOptions {
  mode: 'load';
  /** Seconds of load per cell (one target, one scenario, one round). */
  duration: number;
  rounds: number;
  /** Seconds of unmeasured load per target and scenario before the first round. */
  warmup: number;
  targets: TargetName[];
  concurrency: number[];
  ttfbRequests: number;
  logLevel: string;
  outDir: string;
  /** Node flags for our gateway's process, e.g. `--cpu-prof`. */
  oursNodeFlags: string[];
}

export interface SlowOptions {
  mode: 'slow-streams';
  streams: number;
  chunkMs: number;
  chunks: number;
  /** A gap between two chunks of one stream longer than this is a stall. */
  stallMs: number;
  /** Which server the streams go through: ours, or the bare proxy as a control. */
  via: 'ours' | 'bare' | 'upstream';
  logLevel: string;
  outDir: string;
}

export type BenchOptions = LoadOptions | SlowOptions;

const allTargets: TargetName[] = ['upstream', 'bare', 'peer', 'ours'];

export const usage = `npm run bench -- [options]
  --mode load|slow-streams   default load
  --quick                    1 s cells, 1 round, no peer (a smoke run, ~20 s)
  --duration S --rounds N --warmup S   load mode; defaults 4, 3, 1 (about 4 minutes)
  --targets a,b              of upstream,bare,peer,ours (default all)
  --concurrency 1,50         in-flight requests per cell
  --ttfb-requests N          streamed requests per target and round for time to first byte
  --cpu-prof DIR             run our gateway with --cpu-prof, profile written to DIR on exit
  --streams N --chunk-ms MS --chunks N --stall-ms MS   slow-streams mode (2000, 100, 150, 1000)
  --via ours|bare|upstream   slow-streams mode: through our gateway (default), or controls
  --log-level L              our gateway's log level (default info, to /dev/null)
  --out DIR                  where the markdown goes (default bench/results)`;

/** Reads the command line; throws with the usage text on anything unknown. */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      mode: { type: 'string', default: 'load' },
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      targets: { type: 'string' },
      concurrency: { type: 'string', default: '1,50' },
      'ttfb-requests': { type: 'string', default: '40' },
      'cpu-prof': { type: 'string' },
      streams: { type: 'string', default: '2000' },
      'chunk-ms': { type: 'string', default: '100' },
      chunks: { type: 'string', default: '150' },
      'stall-ms': { type: 'string', default: '1000' },
      via: { type: 'string', default: 'ours' },
      'log-level': { type: 'string', default: 'info' },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new Error(usage);
  const common = { logLevel: values['log-level'], outDir: values.out };
  if (values.mode === 'slow-streams') {
    return {
      mode: 'slow-streams',
      ...common,
      streams: num(values.streams),
      chunkMs: num(values['chunk-ms']),
      chunks: num(values.chunks),
      stallMs: num(values['stall-ms']),
      via: values.via === 'bare' || values.via === 'upstream' ? values.via : 'ours',
    };
  }
  if (values.mode !== 'load') throw new Error(`unknown --mode ${values.mode}\n${usage}`);
  const quick = values.quick;
  const prof = values['cpu-prof'];
  return {
    mode: 'load',
    ...common,
    duration: num(values.duration ?? (quick ? '1' : '4')),
    rounds: num(values.rounds ?? (quick ? '1' : '3')),
    warmup: num(values.warmup ?? '1'),
    targets: targetList(values.targets ?? (quick ? 'upstream,bare,ours' : allTargets.join(','))),
    concurrency: values.concurrency.split(',').map(num),
    ttfbRequests: num(values['ttfb-requests']),
    oursNodeFlags: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [],
  };
}

function targetList(text: string): TargetName[] {
  const names = text.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(allTargets as string[]).includes(name))
      throw new Error(`unknown target ${name}\n${usage}`);
  }
  // The table's order is fixed, whatever order they were named in.
  return allTargets.filter((t) => names.includes(t));
}

function num(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`not a positive number: ${text}\n${usage}`);
  return value;
}
