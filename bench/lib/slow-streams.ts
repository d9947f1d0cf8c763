import { Agent } from 'node:http';
import { countLedgerRows, upstreamServed } from './ledger.js';
import { requestBody } from './load-bench.js';
import type { SlowOptions } from './options.js';
import { cpuMicros, rssBytes } from './proc-stats.js';
import { stopAll } from './processes.js';
import { openStream, openStreams, type StreamTrace } from './slow-client.js';
import { portOf, startBare, startOurs, startUpstream, type Target } from './targets.js';

export interface SlowResult {
  traces: StreamTrace[];
  baselineRssBytes: number;
  /** Peak RSS of our gateway while every stream was open at once (or the peak seen). */
  peakRssBytes: number;
  /** The most streams seen open at once. */
  maxOpen: number;
  cpuSeconds: number;
  /** CPU of the load side (upstream and this harness), to see when it, not the server, is the limit. */
  loadCpuSeconds: number;
  wallSeconds: number;
  ledgerRows: number | undefined;
  reachedUpstream: number;
}

/** Holds `streams` slow streams open at once through our gateway (or the bare proxy). */
export async function runSlowStreams(
  options: SlowOptions,
  log: (line: string) => void,
): Promise<SlowResult> {
  try {
    const upstream = await startUpstream([
      `--delay-ms=${options.chunkMs}`,
      `--chunks=${options.chunks}`,
    ]);
    const ours = await startVia(options, upstream);
    const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    log('warm-up: 100 slow streams');
    await Promise.all(Array.from({ length: 100 }, () => open(ours, agent)));
    const baselineRssBytes = rssBytes(ours.pid);
    const servedBefore = await upstreamServed(portOf(upstream));
    const cpuBefore = cpuMicros(ours.pid);
    const loadBefore = cpuMicros(upstream.pid) + cpuMicros(process.pid);
    log(
      `opening ${options.streams} streams (${options.chunks} chunks, one every ${options.chunkMs} ms)`,
    );
    const started = performance.now();
    const sampler = samplePeak(ours.pid, options.streams);
    const traces = await Promise.all(await ramp(options.streams, () => open(ours, agent)));
    const { peakRssBytes, maxOpen } = sampler.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    return {
      traces,
      baselineRssBytes,
      peakRssBytes,
      maxOpen,
      wallSeconds: (performance.now() - started) / 1000,
      cpuSeconds: (cpuMicros(ours.pid) - cpuBefore) / 1e6,
      loadCpuSeconds: (cpuMicros(upstream.pid) + cpuMicros(process.pid) - loadBefore) / 1e6,
      ledgerRows: ours.dataDir ? countLedgerRows(ours.dataDir) : undefined,
      reachedUpstream: (await upstreamServed(portOf(upstream))) - servedBefore + 100,
    };
  } finally {
    await stopAll();
  }
}

function startVia(options: SlowOptions, upstream: Target): Promise<Target> {
  if (options.via === 'upstream') return Promise.resolve(upstream);
  if (options.via === 'bare') return startBare(portOf(upstream));
  return startOurs(portOf(upstream), options.logLevel);
}

function open(target: Target, agent: Agent): Promise<StreamTrace> {
  return openStream(target.url, target.headers, requestBody(target.model, true), agent);
}

/** Starts `count` streams 50 every 100 ms: a burst of 2,000 connects would measure the backlog. */
async function ramp(
  count: number,
  start: () => Promise<StreamTrace>,
): Promise<Promise<StreamTrace>[]> {
  const all: Promise<StreamTrace>[] = [];
  while (all.length < count) {
    for (let i = 0; i < 50 && all.length < count; i++) all.push(start());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return all;
}

/** Peak RSS while all `target` streams are open; the overall peak if they never all were. */
function samplePeak(
  pid: number,
  target: number,
): { stop(): { peakRssBytes: number; maxOpen: number } } {
  let allOpenPeak = 0;
  let anyPeak = 0;
  let maxOpen = 0;
  const timer = setInterval(() => {
    const rss = rssBytes(pid);
    maxOpen = Math.max(maxOpen, openStreams.count);
    anyPeak = Math.max(anyPeak, rss);
    if (openStreams.count >= target) allOpenPeak = Math.max(allOpenPeak, rss);
  }, 200);
  return {
    stop() {
      clearInterval(timer);
      return { peakRssBytes: allOpenPeak || anyPeak, maxOpen };
    },
  };
}

export function renderSlowStreams(
  result: SlowResult,
  options: SlowOptions,
  startedAt: Date,
): string {
  const t = result.traces;
  const lateStart = t.filter((s) => !(s.firstByteMs <= options.stallMs));
  const stalled = t.filter((s) => !s.done || s.maxGapMs > options.stallMs);
  const errors = new Map<string, number>();
  for (const s of t) if (s.error) errors.set(s.error, (errors.get(s.error) ?? 0) + 1);
  const perStream = (result.peakRssBytes - result.baselineRssBytes) / Math.max(1, result.maxOpen);
  const q = (values: number[], p: number) => {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    return sorted.length
      ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
      : Number.NaN;
  };
  const gaps = t.map((s) => s.maxGapMs);
  const first = t.map((s) => s.firstByteMs);
  const rows: [string, string][] = [
    ['streams opened / most open at once', `${t.length} / ${result.maxOpen}`],
    ['completed with [DONE]', String(t.filter((s) => s.done).length)],
    [`stalled before the first byte (> ${options.stallMs} ms)`, mark(lateStart.length)],
    [`stalled after it (no [DONE], or a gap > ${options.stallMs} ms)`, mark(stalled.length)],
    ['errors', errors.size ? [...errors].map(([e, n]) => `${n}× ${e}`).join('; ') : '0'],
    [
      'longest gap between chunks of a stream, p50 / p99 / max ms',
      `${f(q(gaps, 0.5))} / ${f(q(gaps, 0.99))} / ${f(q(gaps, 1))}`,
    ],
    [
      'first byte, p50 / p99 / max ms',
      `${f(q(first, 0.5))} / ${f(q(first, 0.99))} / ${f(q(first, 1))}`,
    ],
    [
      'server RSS before / with all open, MB',
      `${f(result.baselineRssBytes / 2 ** 20)} / ${f(result.peakRssBytes / 2 ** 20)}`,
    ],
    ['memory per open stream, KB (target < 100)', f(perStream / 1024)],
    [
      `CPU over the ${f(result.wallSeconds)} s run, s: server / load side (upstream + client)`,
      `${f(result.cpuSeconds)} / ${f(result.loadCpuSeconds)}`,
    ],
    [
      'ledger rows / requests that reached the upstream',
      `${result.ledgerRows ?? 'no ledger table'} / ${result.reachedUpstream}`,
    ],
  ];
  return [
    `# Slow streams through ${options.via === 'ours' ? 'our gateway' : `the ${options.via} (control)`}, ${startedAt.toISOString()}`,
    '',
    '| measure | value |',
    '|---|--:|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `- ${options.streams} streams, each ${options.chunks} chunks one every ${options.chunkMs} ms, each on its own connection, opened 50 every 100 ms after a warm-up of 100.`,
    '- Memory per stream: (RSS with all open − RSS after warm-up) / streams open; RSS from /proc, so an upper bound.',
  ].join('\n');
}

function mark(count: number): string {
  return count ? `${count} **stall**` : '0';
}

function f(value: number): string {
  return Number.isFinite(value) ? value.toFixed(value >= 100 ? 0 : 1) : '–';
}
