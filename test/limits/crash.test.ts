import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ReplayUpstream } from '../support/replay-upstream.js';

/**
 * A gateway killed with SIGKILL while requests are in flight gives no budget back: after the
 * restart the day still counts every admitted request and its whole reservation. Runs the
 * built CLI (`npm run build`), as a crash needs a process to kill.
 */

const run = promisify(execFile);
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'jasys-crash-'));
let upstream: ReplayUpstream;
let env: NodeJS.ProcessEnv;
const servers: ChildProcess[] = [];

async function serve(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const server = spawn(process.execPath, [cli, 'serve'], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`jasys serve exited with ${code}`)));
    server.stdout!.on('data', (data: Buffer) => {
      if (data.toString().includes('listening')) resolve();
    });
  });
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  upstream = await new ReplayUpstream().start();
  // The upstream never answers: every request stays in flight until the crash.
  upstream.handler = () => new Promise(() => {});
  env = {
    PATH: process.env.PATH,
    JASYS_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    OPENAI_BASE_URL: upstream.url,
    OPENAI_API_KEY: 'sk-upstream',
  };
});
afterAll(async () => {
  for (const server of servers) server.kill('SIGKILL');
  await upstream.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('counts admitted requests and their reservations across a SIGKILL', async () => {
  const email = 'crash@example.com';
  await run(
    process.execPath,
    [
      cli,
      'accounts',
      'create',
      '--email',
      email,
      '--password',
      'a long password',
      '--tier',
      'free',
    ],
    { env },
  );
  const key = (
    await run(process.execPath, [cli, 'keys', 'create', '--email', email], { env })
  ).stdout.trim();
  const base = await serve();
  const inFlight = Array.from({ length: 5 }, () =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-3.5-turbo',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 100,
      }),
    }).catch(() => undefined),
  );
  while (upstream.requests.length < 5) await new Promise((r) => setTimeout(r, 10));
  // Admission counts are committed within 20 ms (they ride with the next flush); then crash.
  await new Promise((r) => setTimeout(r, 100));
  servers[0]!.kill('SIGKILL');
  await Promise.all(inFlight);

  const restarted = await serve();
  const stats = (await (
    await fetch(`${restarted}/api/user/stats`, { headers: { authorization: `Bearer ${key}` } })
  ).json()) as { daily_requests: number; daily_tokens: number; remaining_requests: number };
  expect(stats.daily_requests).toBe(5);
  expect(stats.remaining_requests).toBe(95);
  // Each reserved its prompt estimate plus max_tokens 100, and settled nothing.
  expect(stats.daily_tokens).toBeGreaterThanOrEqual(5 * 100);
});
