import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { listenAndReport } from './ready.js';

/**
 * The floor to compare against: node:http in, undici out, bytes piped both ways, no logic.
 * `--upstream=PORT` names the upstream on 127.0.0.1.
 */
const upstreamArg = process.argv.find((a) => a.startsWith('--upstream='));
if (!upstreamArg) throw new Error('--upstream=PORT is required');
const origin = `http://127.0.0.1:${upstreamArg.slice('--upstream='.length)}`;
// Keep-alive like the gateway's client; no connection cap, as a floor should have none.
const agent = new Agent({ keepAliveTimeout: 30_000 });

const server = createServer({ keepAliveTimeout: 65_000 }, async (req, res) => {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  try {
    const upstream = await request(`${origin}${req.url ?? '/'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
      body: req,
      dispatcher: agent,
      signal: controller.signal,
    });
    const type = upstream.headers['content-type'];
    res.writeHead(upstream.statusCode, typeof type === 'string' ? { 'content-type': type } : {});
    if (type === 'text/event-stream') res.flushHeaders();
    for await (const bytes of upstream.body) {
      if (!res.write(bytes)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  }
});

await listenAndReport(server);
