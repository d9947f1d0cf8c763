import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** What a bench server tells the harness once it listens (over the IPC channel). */
export interface ReadyMessage {
  type: 'ready';
  port: number;
  /** Anything else the harness needs: the gateway's key and data folder. */
  extra?: Record<string, string>;
}

/** Listens on 127.0.0.1 (never a public interface) and reports the port to the parent. */
export async function listenAndReport(
  server: Server,
  extra?: Record<string, string>,
): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const message: ReadyMessage = extra ? { type: 'ready', port, extra } : { type: 'ready', port };
  process.send?.(message);
  exitWithParent();
}

/** A server whose harness died must not outlive it: the IPC channel closing is the signal. */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

/** `--name=value` flags of a server process. */
export function flag(name: string, fallback: number): number {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = found ? Number(found.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}
