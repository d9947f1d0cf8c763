import { cpus } from 'node:os';
import type { Cell, LoadResult, Scenario } from './load-bench.js';
import type { LoadOptions } from './options.js';
import { canPin } from './processes.js';
import type { Target } from './targets.js';

type Name = Target['name'];

/** The whole report of a load run, as markdown. */
export function renderLoad(result: LoadResult, options: LoadOptions, startedAt: Date): string {
  const summary = summarise(result.cells);
  return [
    `# Gateway benchmark, ${startedAt.toISOString()}`,
    '',
    mainTable(summary, options),
    '',
    ttfbTable(result.ttfb),
    '',
    ratioTable(summary, result),
    '',
    ...notes(result, options),
  ].join('\n');
}

/** Medians over the rounds of one (scenario, target); RSS is the peak of all; errors summed. */
type Summary = Omit<Cell, 'target' | 'scenario'>;

const key = (s: Scenario, t: Name): string => `${s.stream}:${s.concurrency}:${t}`;

function summarise(cells: Cell[]): Map<string, Summary> {
  const groups = new Map<string, Cell[]>();
  for (const cell of cells) {
    const k = key(cell.scenario, cell.target);
    groups.set(k, [...(groups.get(k) ?? []), cell]);
  }
  const summary = new Map<string, Summary>();
  for (const [k, group] of groups) {
    summary.set(k, {
      requestsPerSec: median(group.map((c) => c.requestsPerSec)),
      p50Ms: median(group.map((c) => c.p50Ms)),
      p99Ms: median(group.map((c) => c.p99Ms)),
      cpuMicrosPerRequest: median(group.map((c) => c.cpuMicrosPerRequest)),
      peakRssBytes: Math.max(...group.map((c) => c.peakRssBytes)),
      errors: group.reduce((sum, c) => sum + c.errors, 0),
    });
  }
  return summary;
}

function mainTable(summary: Map<string, Summary>, options: LoadOptions): string {
  const rows = [
    '| scenario | target | req/s | p50 ms | p99 ms | CPU µs/req | peak RSS MB | errors |',
  ];
  rows.push('|---|---|--:|--:|--:|--:|--:|--:|');
  for (const stream of [false, true]) {
    for (const concurrency of options.concurrency) {
      for (const target of options.targets) {
        const s = summary.get(key({ stream, concurrency }, target));
        if (!s) continue;
        rows.push(
          `| ${stream ? 'stream' : 'non-stream'} @${concurrency} | ${target} | ${fmt(s.requestsPerSec, 0)} | ` +
            `${fmt(s.p50Ms, 2)} | ${fmt(s.p99Ms, 2)} | ${fmt(s.cpuMicrosPerRequest, 0)} | ` +
            `${fmt(s.peakRssBytes / 2 ** 20, 0)} | ${s.errors} |`,
        );
      }
    }
  }
  return rows.join('\n');
}

function ttfbTable(ttfb: Map<Name, number[]>): string {
  const rows = [
    '| time to first byte of a stream, 1 in flight | p50 ms | p99 ms | samples |',
    '|---|--:|--:|--:|',
  ];
  for (const [name, samples] of ttfb) {
    rows.push(
      `| ${name} | ${fmt(quantile(samples, 0.5), 2)} | ${fmt(quantile(samples, 0.99), 2)} | ${samples.length} |`,
    );
  }
  return rows.join('\n');
}

function ratioTable(summary: Map<string, Summary>, result: LoadResult): string {
  const get = (stream: boolean, concurrency: number, target: Name) =>
    summary.get(key({ stream, concurrency }, target));
  const rps = (s: boolean, c: number, t: Name) => get(s, c, t)?.requestsPerSec ?? Number.NaN;
  const ttfb = (t: Name) => quantile(result.ttfb.get(t) ?? [], 0.5);
  const rows: [string, number, string, (v: number) => boolean][] = [
    [
      'non-stream @50 req/s, ours/bare',
      rps(false, 50, 'ours') / rps(false, 50, 'bare'),
      '≥ 0.6',
      (v) => v >= 0.6,
    ],
    [
      'stream @50 req/s, ours/bare',
      rps(true, 50, 'ours') / rps(true, 50, 'bare'),
      '≥ 0.6',
      (v) => v >= 0.6,
    ],
    [
      'non-stream @50 req/s, ours/peer',
      rps(false, 50, 'ours') / rps(false, 50, 'peer'),
      '≥ 8',
      (v) => v >= 8,
    ],
    [
      'stream @50 req/s, ours/peer',
      rps(true, 50, 'ours') / rps(true, 50, 'peer'),
      '≥ 8',
      (v) => v >= 8,
    ],
    [
      'non-stream @1 req/s, ours/bare',
      rps(false, 1, 'ours') / rps(false, 1, 'bare'),
      '',
      () => true,
    ],
    [
      'non-stream @1 req/s, ours/peer',
      rps(false, 1, 'ours') / rps(false, 1, 'peer'),
      '',
      () => true,
    ],
    [
      'non-stream @1 p50 added over upstream, ms (ours)',
      (get(false, 1, 'ours')?.p50Ms ?? NaN) - (get(false, 1, 'upstream')?.p50Ms ?? NaN),
      '≤ 0.5',
      (v) => v <= 0.5,
    ],
    [
      'non-stream @1 p50 added over upstream, ms (bare)',
      (get(false, 1, 'bare')?.p50Ms ?? NaN) - (get(false, 1, 'upstream')?.p50Ms ?? NaN),
      '',
      () => true,
    ],
    ['stream TTFB p50, ours/bare', ttfb('ours') / ttfb('bare'), '≤ 1.5', (v) => v <= 1.5],
    ['stream TTFB p50, ours/peer', ttfb('ours') / ttfb('peer'), '', () => true],
    [
      'CPU µs/req non-stream @50, ours/bare',
      (get(false, 50, 'ours')?.cpuMicrosPerRequest ?? NaN) /
        (get(false, 50, 'bare')?.cpuMicrosPerRequest ?? NaN),
      '',
      () => true,
    ],
    [
      'CPU µs/req stream @50, ours/bare',
      (get(true, 50, 'ours')?.cpuMicrosPerRequest ?? NaN) /
        (get(true, 50, 'bare')?.cpuMicrosPerRequest ?? NaN),
      '',
      () => true,
    ],
  ];
  const lines = ['| ratio | value | target | met |', '|---|--:|--:|:-:|'];
  for (const [label, value, target, ok] of rows) {
    if (Number.isNaN(value)) continue;
    lines.push(
      `| ${label} | ${fmt(value, 2)} | ${target} | ${target ? (ok(value) ? 'yes' : '**no**') : ''} |`,
    );
  }
  lines.push(ledgerRow(result));
  return lines.join('\n');
}

function ledgerRow(result: LoadResult): string {
  const ledger = result.ledger;
  if (!ledger)
    return '| ledger rows = requests that reached the upstream | (ours not run) | equal | |';
  if (ledger.rows === undefined) {
    return `| ledger rows = requests that reached the upstream | no ledger table (${ledger.reachedUpstream} requests) | equal | **no** |`;
  }
  const ok = ledger.rows === ledger.reachedUpstream;
  return `| ledger rows = requests that reached the upstream | ${ledger.rows} of ${ledger.reachedUpstream} | equal | ${ok ? 'yes' : '**no**'} |`;
}

function notes(result: LoadResult, options: LoadOptions): string[] {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `- Machine: ${cpus().length} × ${cpu}, Node ${process.version}. ` +
      (canPin
        ? 'Server under test pinned to core 0; wrk, upstream and harness to core 1 (taskset).'
        : 'Not pinned (taskset or a second core missing).'),
    `- Each cell: wrk -t1, ${options.duration} s, after ${options.warmup} s warm-up; ${options.rounds} round(s) in turns, medians shown (peak RSS: max; errors: sum). CPU µs/req: utime+stime of the server process from /proc/<pid>/stat over the cell / requests served.`,
    `- Body: one short user message, max_tokens 32; streams are 20 chunks with no delay. TTFB: ${options.ttfbRequests} streamed requests per target per round, kept-alive connection.`,
    ...result.targets.map((t) => `- **${t.name}**: ${t.how}.`),
  ];
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function fmt(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
