import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixture, readJsonFixture } from '../support/fixtures.js';
import { jsonReply, ReplayUpstream, sseReply } from '../support/replay-upstream.js';

/**
 * The quick start as a new user runs it: the built `jasys` command creates an account and a
 * key, `jasys serve` answers the official SDK from a replay upstream. Needs `npm run build`.
 */

const run = promisify(execFile);
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'jasys-cli-'));
let upstream: ReplayUpstream;
let server: ChildProcess;
let baseURL: string;
let env: NodeJS.ProcessEnv;

function jasys(...args: string[]) {
  return run(process.execPath, [cli, ...args], { env });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  return port;
}

beforeAll(async () => {
  upstream = await new ReplayUpstream().start();
  const port = await freePort();
  env = {
    PATH: process.env.PATH,
    JASYS_DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'info',
    OPENAI_BASE_URL: `${upstream.url}/v1`,
    OPENAI_API_KEY: 'sk-upstream',
    GROQ_BASE_URL: `${upstream.url}/openai/v1`,
    GROQ_API_KEY: 'gsk-upstream',
  };
  const started = performance.now();
  server = spawn(process.execPath, [cli, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`jasys serve exited with ${code}`)));
    server.stdout!.on('data', (data: Buffer) => {
      if (data.toString().includes('listening')) resolve();
    });
  });
  const startupMs = performance.now() - started;
  // A figure for the closing notes, not a test: timings are the benchmark's business.
  console.info(`jasys serve start-up: ${Math.round(startupMs)} ms`);
  baseURL = `http://127.0.0.1:${port}/v1`;
});

afterAll(async () => {
  server?.kill('SIGTERM');
  await upstream.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('jasys', () => {
  it('accounts create, keys create (the key alone on stdout), and the SDK gets answers', async () => {
    const created = await jasys(
      'accounts',
      'create',
      '--email',
      'Ada@Example.com',
      '--password',
      'a long password',
      '--tier',
      'free',
    );
    expect(created.stdout).toContain('ada@example.com');
    const { stdout } = await jasys(
      'keys',
      'create',
      '--email',
      'ada@example.com',
      '--name',
      'laptop',
    );
    expect(stdout).toMatch(/^sk-jasys-[A-Za-z0-9_-]{43}\n$/);
    const key = stdout.trim();
    const client = new OpenAI({ apiKey: key, baseURL, maxRetries: 0 });

    for (const [model, path] of [
      ['openai/gpt-3.5-turbo', '/v1/chat/completions'],
      ['meta-llama/llama-3.1-8b-instruct', '/openai/v1/chat/completions'],
    ] as const) {
      upstream.handler = () => jsonReply(readJsonFixture('openai/llm-nonstream-tool-call-3.json'));
      const answer = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.model).toBe(model);
      expect(answer.choices[0]!.message.content).toBe('YES');
      expect(upstream.last.url).toBe(path);

      upstream.handler = () =>
        sseReply(readFixture('openai/llm-stream-after-tool-result-gpt-4o-mini.sse'));
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toContain('2,869,461');
    }

    const list = await jasys('keys', 'list', '--email', 'ada@example.com');
    expect(list.stdout).toContain('laptop');
    expect(list.stdout).toContain(key.slice(0, 13));
    expect(list.stdout).not.toContain(key);

    const usage = await jasys('usage', '--email', 'ada@example.com');
    expect(usage.stdout).toMatch(/openai\/gpt-3\.5-turbo\s+2\s+0/);
    expect(usage.stdout).toMatch(/meta-llama\/llama-3\.1-8b-instruct\s+2\s+0/);

    await expect(
      client.chat.completions.create({
        model: 'openai/gpt-4',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await jasys('accounts', 'set-tier', '--email', 'ada@example.com', '--tier', 'premium');
    upstream.handler = () => jsonReply(readJsonFixture('openai/llm-nonstream-tool-call-3.json'));
    await expect(
      client.chat.completions.create({
        model: 'openai/gpt-4',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).resolves.toMatchObject({ model: 'openai/gpt-4' });

    const id = /key_[0-9a-f]+/.exec(list.stdout)![0];
    await jasys('keys', 'revoke', id);
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('models prints the catalog; bad input is a clear error, not a stack', async () => {
    const { stdout } = await jasys('models');
    expect(stdout).toMatch(/google\/gemini-pro\s+enterprise/);
    const bad = await jasys(
      'accounts',
      'create',
      '--email',
      'x@y.z',
      '--password',
      'p',
      '--tier',
      'gold',
    ).catch((e: { stderr: string; code: number }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toContain('choose one of free, premium, enterprise');
    const missing = await jasys('keys', 'create', '--email', 'nobody@example.com').catch(
      (e: { stderr: string }) => e,
    );
    expect((missing as { stderr: string }).stderr).toContain(
      'No account has the email nobody@example.com',
    );
  });
});
