import { Server } from 'node:net';

/**
 * Preloaded into the peer gateway, whose start script listens on every interface: the bench
 * must expose nothing beyond 127.0.0.1, so a listen without a host is bound to loopback.
 */
const listen = Server.prototype.listen;
type ListenArgs = Parameters<typeof listen>;

Server.prototype.listen = function (this: Server, ...args: ListenArgs): Server {
  const [first, second] = args as unknown[];
  if (typeof first === 'number' && typeof second !== 'string') {
    const rest = args.slice(1);
    if (rest[0] === undefined) rest.shift();
    return listen.call(this, first, '127.0.0.1', ...(rest as [])) as Server;
  }
  if (first !== null && typeof first === 'object' && !('host' in first) && 'port' in first) {
    return listen.call(this, { ...first, host: '127.0.0.1' }, ...(args.slice(1) as [])) as Server;
  }
  return listen.apply(this, args);
};
