import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinned } from './processes.js';

export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers plus socket errors: anything but a clean 200. */
  errors: number;
}

const installHint = 'install it with: apt-get update && apt-get install -y wrk';

/** wrk on PATH, installed from Debian when missing and we may (root with apt-get). */
export function ensureWrk(): void {
  if (hasWrk()) return;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!root || !apt) throw new Error(`wrk is not installed; ${installHint}`);
  process.stderr.write('wrk is missing: installing it with apt-get…\n');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit' });
  if (!hasWrk()) throw new Error(`installing wrk failed; ${installHint}`);
}

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

export interface WrkRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** Writes the Lua script that makes wrk send our POST; returns its path. */
export function writeScript(dir: string, name: string, request: WrkRequest): string {
  const lines = [
    'wrk.method = "POST"',
    `wrk.body = [==[${request.body}]==]`,
    ...Object.entries(request.headers).map(([k, v]) => `wrk.headers["${k}"] = [==[${v}]==]`),
  ];
  const path = join(dir, `${name}.lua`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** One wrk run on the load core: `connections` in flight for `seconds`. */
export function runWrk(
  url: string,
  script: string,
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const argv = pinned('load', [
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${Math.max(1, Math.round(seconds))}s`,
    '--timeout',
    '10s',
    '--latency',
    '-s',
    script,
    url,
  ]);
  return new Promise((resolve, reject) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { timeout: (seconds + 30) * 1000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`wrk failed: ${error.message}\n${stderr}`));
        try {
          resolve(parseWrk(stdout));
        } catch (parseError) {
          reject(parseError);
        }
      },
    );
  });
}

/** Reads the numbers we report out of wrk's text output. */
export function parseWrk(text: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(text);
  if (!total) throw new Error(`cannot read wrk output:\n${text}`);
  const seconds = toMs(Number(total[2]), total[3]!) / 1000;
  const requests = Number(total[1]);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests,
    seconds,
    requestsPerSec: requests / seconds,
    p50Ms: percentile(text, '50'),
    p99Ms: percentile(text, '99'),
    errors: socketErrors + (non2xx ? Number(non2xx[1]) : 0),
  };
}

function percentile(text: string, which: string): number {
  const match = new RegExp(`^\\s+${which}%\\s+([\\d.]+)(us|ms|s|m)`, 'm').exec(text);
  return match ? toMs(Number(match[1]), match[2]!) : Number.NaN;
}

function toMs(value: number, unit: string): number {
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
  return value * (scale[unit] ?? 1);
}
