import { Server } from 'node:net';

/**
 * Preloaded into the peer gateway, whose start script listens on every interface: the bench
 * must expose nothing beyond 127.0.0.1, so a listen without a host is bound to loopback.
 */
type Listen = (this: Server, ...args: unknown[]) => Server;
const listen = Server.prototype.listen as unknown as Listen;

const loopbackListen: Listen = function (...args) {
  const [first, second] = args;
  if (typeof first === 'number' && typeof second !== 'string') {
    const rest = args.slice(1);
    if (rest[0] === undefined) rest.shift();
    return listen.call(this, first, '127.0.0.1', ...rest);
  }
  if (first !== null && typeof first === 'object' && 'port' in first && !('host' in first)) {
    return listen.call(this, { ...first, host: '127.0.0.1' }, ...args.slice(1));
  }
  return listen.apply(this, args);
};
Server.prototype.listen = loopbackListen as unknown as Server['listen'];
