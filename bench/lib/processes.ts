import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { ReadyMessage } from '../servers/ready.js';

/** Which core a process runs on: the server under test alone on one, the rest on the other. */
export type Core = 'server' | 'load';

const live = new Set<ChildProcess>();
let hooked = false;

/** Whether `taskset` exists and there are two cores to split. */
export const canPin =
  availableParallelism() >= 2 && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

/** The command line to run `argv` on the core for `core`, or unpinned when that is impossible. */
export function pinned(core: Core, argv: string[]): string[] {
  if (!canPin) return argv;
  return ['taskset', '-c', core === 'server' ? '0' : '1', ...argv];
}

/** Pins this (the harness) process to the load core, so it never competes with the server. */
export function pinSelf(): void {
  if (canPin) spawnSync('taskset', ['-a', '-pc', '1', String(process.pid)], { stdio: 'ignore' });
}

export interface Started {
  child: ChildProcess;
  /** The pid of the node process itself (taskset execs, so it is the child's pid). */
  pid: number;
  port: number;
  extra: Record<string, string>;
}

/**
 * Starts a bench server written in TypeScript and waits for its ready message. Its stdout is
 * discarded (logs are part of the cost, not of the report); stderr is kept for failures.
 */
export async function startTsServer(
  file: string,
  args: string[],
  core: Core,
  options: { env?: NodeJS.ProcessEnv; nodeFlags?: string[]; timeoutMs?: number } = {},
): Promise<Started> {
  const argv = [process.execPath, ...(options.nodeFlags ?? []), '--import', 'tsx', file, ...args];
  const child = track(spawnPinned(core, argv, options.env, ['ignore', 'ignore', 'pipe', 'ipc']));
  const stderr = collect(child);
  const message = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${file} did not start in time\n${stderr()}`)),
      options.timeoutMs ?? 30_000,
    );
    child.once('message', (m: ReadyMessage) => (clearTimeout(timer), resolve(m)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code} before it was ready\n${stderr()}`));
    });
  });
  return { child, pid: child.pid!, port: message.port, extra: message.extra ?? {} };
}

/** Starts any command that cannot report readiness itself; the caller polls its port. */
export function startCommand(core: Core, argv: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return track(spawnPinned(core, argv, env, ['ignore', 'ignore', 'pipe']));
}

/** Stops one child and waits for it, with SIGKILL if it lingers. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map(stop));
}

function spawnPinned(
  core: Core,
  argv: string[],
  env: NodeJS.ProcessEnv | undefined,
  stdio: ('ignore' | 'pipe' | 'ipc')[],
): ChildProcess {
  const [command, ...rest] = pinned(core, argv);
  return spawn(command!, rest, { env: { ...process.env, ...env }, stdio });
}

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!hooked) {
    hooked = true;
    // Every way out of the harness takes its servers with it.
    process.once('exit', () => [...live].forEach((c) => c.kill('SIGKILL')));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void stopAll().then(() => process.exit(130)));
    }
  }
  return child;
}

/** The last 4 KB of a child's stderr, for error messages. */
function collect(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => (text = (text + s).slice(-4096)));
  return () => text;
}
