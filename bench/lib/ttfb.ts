import { Agent, request } from 'node:http';
import type { Target } from './targets.js';

/**
 * Time to the first body byte of a streamed completion, one request in flight, over a kept-alive
 * connection (the first, connecting request is not counted). Returns the samples in ms.
 */
export async function measureTtfb(target: Target, requests: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({
    model: target.model,
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
    max_tokens: 32,
    stream: true,
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i <= requests; i++) {
      const ms = await oneRequest(target, agent, body);
      if (i > 0) samples.push(ms);
    }
  } finally {
    agent.destroy();
  }
  return samples;
}

function oneRequest(target: Target, agent: Agent, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    const req = request(target.url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', ...target.headers },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`${target.name} answered ${res.statusCode}`));
      res.on('data', () => {
        if (first === 0) first = performance.now() - started;
      });
      res.on('end', () => resolve(first));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
