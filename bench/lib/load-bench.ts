import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countLedgerRows, upstreamServed } from './ledger.js';
import type { LoadOptions } from './options.js';
import { cpuMicros, sampleRss } from './proc-stats.js';
import { stopAll } from './processes.js';
import { portOf, startBare, startOurs, startPeer, startUpstream, type Target } from './targets.js';
import { measureTtfb } from './ttfb.js';
import { runWrk, writeScript } from './wrk.js';

export interface Scenario {
  stream: boolean;
  concurrency: number;
}

/** One measured run of wrk against one target. */
export interface Cell {
  target: Target['name'];
  scenario: Scenario;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  peakRssBytes: number;
  errors: number;
}

export interface LedgerCheck {
  /** Undefined when the store has no ledger table. */
  rows: number | undefined;
  /** Requests our gateway sent to the upstream: each should have exactly one row. */
  reachedUpstream: number;
}

export interface LoadResult {
  cells: Cell[];
  ttfb: Map<Target['name'], number[]>;
  ledger: LedgerCheck | undefined;
  targets: Target[];
}

/** Runs every scenario against every target in turns (A B C A B C), `rounds` times. */
export async function runLoad(
  options: LoadOptions,
  log: (line: string) => void,
): Promise<LoadResult> {
  try {
    const upstream = await startUpstream();
    const port = portOf(upstream);
    const targets: Target[] = [];
    for (const name of options.targets) {
      if (name === 'upstream') targets.push(upstream);
      if (name === 'bare') targets.push(await startBare(port));
      if (name === 'peer') targets.push(await startPeer(port));
      if (name === 'ours')
        targets.push(await startOurs(port, options.logLevel, options.oursNodeFlags));
    }
    const bench = new LoadBench(options, targets, port, log);
    return await bench.run();
  } finally {
    await stopAll();
  }
}

class LoadBench {
  readonly #scripts = mkdtempSync(join(tmpdir(), 'jasys-bench-wrk-'));
  readonly #cells: Cell[] = [];
  readonly #ttfb = new Map<Target['name'], number[]>();
  #reachedUpstream = 0;

  constructor(
    readonly options: LoadOptions,
    readonly targets: Target[],
    readonly upstreamPort: number,
    readonly log: (line: string) => void,
  ) {}

  async run(): Promise<LoadResult> {
    const scenarios = [false, true].flatMap((stream) =>
      this.options.concurrency.map((concurrency) => ({ stream, concurrency })),
    );
    for (const scenario of scenarios) {
      for (const target of this.targets) await this.#cell(target, scenario, this.options.warmup);
    }
    for (let round = 1; round <= this.options.rounds; round++) {
      this.log(`round ${round} of ${this.options.rounds}`);
      for (const scenario of scenarios) {
        for (const target of this.targets) this.#cells.push(await this.#cell(target, scenario));
      }
      for (const target of this.targets) await this.#measureTtfb(target);
    }
    return {
      cells: this.#cells,
      ttfb: this.#ttfb,
      ledger: await this.#ledger(),
      targets: this.targets,
    };
  }

  async #cell(target: Target, scenario: Scenario, seconds = this.options.duration): Promise<Cell> {
    const script = writeScript(this.#scripts, `${target.name}-${scenario.stream}`, {
      url: target.url,
      body: requestBody(target.model, scenario.stream),
      headers: { 'Content-Type': 'application/json', ...target.headers },
    });
    const cpuBefore = cpuMicros(target.pid);
    const rss = sampleRss(target.pid);
    const wrk = await this.#counted(target, () =>
      runWrk(target.url, script, scenario.concurrency, seconds),
    );
    const cpu = cpuMicros(target.pid) - cpuBefore;
    const cell: Cell = {
      target: target.name,
      scenario,
      requestsPerSec: wrk.requestsPerSec,
      p50Ms: wrk.p50Ms,
      p99Ms: wrk.p99Ms,
      cpuMicrosPerRequest: wrk.requests > 0 ? cpu / wrk.requests : Number.NaN,
      peakRssBytes: rss.stop(),
      errors: wrk.errors,
    };
    this.log(`  ${describe(cell)}`);
    return cell;
  }

  async #measureTtfb(target: Target): Promise<void> {
    const samples = await this.#counted(target, () =>
      measureTtfb(target, this.options.ttfbRequests),
    );
    this.#ttfb.set(target.name, [...(this.#ttfb.get(target.name) ?? []), ...samples]);
  }

  /** Runs `work`, adding what our gateway sent upstream meanwhile to the ledger's expectation. */
  async #counted<T>(target: Target, work: () => Promise<T>): Promise<T> {
    if (target.name !== 'ours') return work();
    // The cell before may still be landing requests upstream (the bare proxy and the peer do
    // not cancel upstream calls whose client left): wait until the count stands still.
    const before = await settledCount(() => upstreamServed(this.upstreamPort));
    const result = await work();
    // Requests wrk cut off at the end may still be on their way upstream: let them land.
    this.#reachedUpstream += (await settledCount(() => upstreamServed(this.upstreamPort))) - before;
    return result;
  }

  async #ledger(): Promise<LedgerCheck | undefined> {
    const ours = this.targets.find((t) => t.name === 'ours');
    if (!ours?.dataDir) return undefined;
    // The last rows settle as their streams end; give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { rows: countLedgerRows(ours.dataDir), reachedUpstream: this.#reachedUpstream };
  }
}

/** A counter's value once it has not moved for 300 ms (at most 5 s). */
async function settledCount(read: () => Promise<number>): Promise<number> {
  let last = await read();
  for (let waited = 0; waited < 5_000; waited += 300) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await read();
    if (now === last) return now;
    last = now;
  }
  return last;
}

export function requestBody(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
    max_tokens: 32,
    ...(stream ? { stream: true } : {}),
  });
}

function describe(cell: Cell): string {
  const kind = `${cell.scenario.stream ? 'stream' : 'json'}@${cell.scenario.concurrency}`;
  return (
    `${kind.padEnd(10)} ${cell.target.padEnd(8)} ${cell.requestsPerSec.toFixed(0).padStart(6)} req/s` +
    `  p50 ${cell.p50Ms.toFixed(2)} ms  cpu ${cell.cpuMicrosPerRequest.toFixed(0)} µs/req` +
    (cell.errors ? `  errors ${cell.errors}` : '')
  );
}
