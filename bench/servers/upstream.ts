import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { flag, listenAndReport } from './ready.js';

/**
 * A fast OpenAI-format upstream: a fixed completion, or a stream of `--chunks` chunks with
 * `--delay-ms` between them. Answers are prebuilt so its own cost stays out of the way.
 * GET /stats reports how many chat requests reached it, for the ledger check.
 */
const chunks = flag('chunks', 20);
const delayMs = flag('delay-ms', 0);
const created = Math.floor(Date.now() / 1000);

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created,
  model: 'gpt-4',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello there, how are you?' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
});

const frame = (body: object): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: 'gpt-4', ...body })}\n\n`;
const contentFrames = Array.from({ length: chunks }, (_, i) =>
  frame({
    choices: [
      {
        index: 0,
        delta: i === 0 ? { role: 'assistant', content: 'w0' } : { content: ` w${i}` },
        finish_reason: i === chunks - 1 ? 'stop' : null,
      },
    ],
  }),
);
const usageFrame = frame({
  choices: [],
  usage: { prompt_tokens: 12, completion_tokens: chunks, total_tokens: 12 + chunks },
});
const doneFrame = 'data: [DONE]\n\n';

let served = 0;

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ requests: served }));
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (text: string) => (body += text));
  req.on('end', () => {
    served++;
    // A substring test, not JSON.parse: the upstream must cost as little as possible.
    if (/"stream"\s*:\s*true/.test(body))
      return stream(req, res, /"include_usage"\s*:\s*true/.test(body));
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(completion),
    });
    res.end(completion);
  });
});

function stream(req: IncomingMessage, res: ServerResponse, withUsage: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const tail = withUsage ? [usageFrame, doneFrame] : [doneFrame];
  if (delayMs <= 0) {
    for (const text of contentFrames) res.write(text);
    return void res.end(tail.join(''));
  }
  let next = 0;
  const timer = setInterval(() => {
    if (next < contentFrames.length) return void res.write(contentFrames[next++]);
    clearInterval(timer);
    res.end(tail.join(''));
  }, delayMs);
  req.socket.once('close', () => clearInterval(timer));
}

await listenAndReport(server);
