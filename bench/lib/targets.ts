import { createRequire } from 'node:module';
import { connect, createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { startCommand, startTsServer } from './processes.js';

const servers = join(dirname(fileURLToPath(import.meta.url)), '..', 'servers');

export type TargetName = 'upstream' | 'bare' | 'peer' | 'ours';

/** One server the load is driven at, with what a request to it needs. */
export interface Target {
  name: TargetName;
  pid: number;
  url: string;
  headers: Record<string, string>;
  model: string;
  /** How it was run, for the notes under the table. */
  how: string;
  /** Our gateway only: where its SQLite store lives, for the ledger check. */
  dataDir?: string;
  child: ChildProcess;
}

const chatPath = '/v1/chat/completions';

/** The fast upstream everything else points at; it shares the load core with wrk. */
export async function startUpstream(args: string[] = []): Promise<Target> {
  const s = await startTsServer(join(servers, 'upstream.ts'), args, 'load');
  return {
    name: 'upstream',
    pid: s.pid,
    child: s.child,
    model: 'gpt-4',
    headers: {},
    url: `http://127.0.0.1:${s.port}${chatPath}`,
    how: `local node:http upstream (${args.join(' ') || '20 chunks, no delay'}), called directly`,
  };
}

export async function startBare(upstreamPort: number): Promise<Target> {
  const s = await startTsServer(
    join(servers, 'bare-proxy.ts'),
    [`--upstream=${upstreamPort}`],
    'server',
  );
  return {
    name: 'bare',
    pid: s.pid,
    child: s.child,
    model: 'gpt-4',
    headers: {},
    url: `http://127.0.0.1:${s.port}${chatPath}`,
    how: 'node:http + undici request(), bytes piped both ways, no logic',
  };
}

export async function startOurs(
  upstreamPort: number,
  logLevel: string,
  nodeFlags: string[] = [],
): Promise<Target> {
  const s = await startTsServer(
    join(servers, 'gateway.ts'),
    [`--upstream=${upstreamPort}`],
    'server',
    {
      env: { LOG_LEVEL: logLevel, NODE_ENV: 'production' },
      nodeFlags,
    },
  );
  return {
    name: 'ours',
    pid: s.pid,
    child: s.child,
    model: 'openai/gpt-4',
    headers: { authorization: `Bearer ${s.extra.key}` },
    url: `http://127.0.0.1:${s.port}${chatPath}`,
    how: `src/app.ts Gateway, SQLite in a temp folder, enterprise key, pino at ${logLevel} to /dev/null`,
    ...(s.extra.dataDir ? { dataDir: s.extra.dataDir } : {}),
  };
}

/**
 * Portkey's open-source gateway from node_modules, run as its README says, headless, with a
 * preload that keeps it on 127.0.0.1. Routed per request by its `x-portkey-*` headers.
 */
export async function startPeer(upstreamPort: number): Promise<Target> {
  const entry = createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js');
  const port = await freePort();
  const preload = join(servers, 'loopback-only.ts');
  const argv = [
    process.execPath,
    '--import',
    'tsx',
    '--import',
    preload,
    entry,
    `--port=${port}`,
    '--headless',
  ];
  const child = startCommand('server', argv, { NODE_ENV: 'production' });
  await waitForPort(port, child);
  return {
    name: 'peer',
    pid: child.pid!,
    child,
    model: 'gpt-4',
    headers: {
      authorization: 'Bearer sk-bench-upstream',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `http://127.0.0.1:${upstreamPort}/v1`,
    },
    url: `http://127.0.0.1:${port}${chatPath}`,
    how: '@portkey-ai/gateway build/start-server.js --headless, @hono/node-server held at 1.13.8',
  };
}

/** The port of a target's URL. */
export function portOf(target: Target): number {
  return Number(new URL(target.url).port);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the peer exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the peer did not listen on ${port} within ${timeoutMs} ms`);
}
