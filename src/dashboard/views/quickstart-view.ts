import { html } from 'hono/html';
import type { SignedIn } from '../dashboard-env.js';
import { layout, type Html } from './layout.js';

export interface QuickstartView {
  user: SignedIn;
  /** This gateway's OpenAI base URL, e.g. `https://api.example.com/v1`. */
  baseUrl: string;
  /** A model the account's tier may call, for the examples. */
  model: string;
}

const keyPlaceholder = 'sk-jasys-YOUR-KEY';

export function quickstartPage(view: QuickstartView): Html {
  const { baseUrl, model } = view;
  const snippets = [
    {
      id: 'curl',
      title: 'curl',
      code: `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer ${keyPlaceholder}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`,
    },
    {
      id: 'python',
      title: 'Python (pip install openai)',
      code: `from openai import OpenAI

client = OpenAI(base_url="${baseUrl}", api_key="${keyPlaceholder}")
answer = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "Hello"}],
)
print(answer.choices[0].message.content)`,
    },
    {
      id: 'node',
      title: 'Node.js (npm install openai)',
      code: `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${baseUrl}', apiKey: '${keyPlaceholder}' });
const answer = await client.chat.completions.create({
  model: '${model}',
  messages: [{ role: 'user', content: 'Hello' }],
});
console.log(answer.choices[0].message.content);`,
    },
  ];
  return layout({
    title: 'Quick start',
    user: view.user,
    current: 'quickstart',
    body: html`<h1>Quick start</h1>
      <p>
        This gateway speaks the OpenAI API: point any OpenAI SDK at its base URL and use one of
        <a href="/app/keys">your keys</a> in place of <code>${keyPlaceholder}</code>.
      </p>
      <div class="card">
        <h2 id="base-url-heading">Base URL</h2>
        <div class="copy-row">
          <code id="base-url">${baseUrl}</code>
          <button type="button" data-copy="base-url" aria-describedby="base-url-heading">
            Copy
          </button>
        </div>
      </div>
      ${snippets.map(
        (s) =>
          html`<section class="card" aria-labelledby="${s.id}-heading">
            <h2 id="${s.id}-heading">${s.title}</h2>
            <pre><code id="snippet-${s.id}">${s.code}</code></pre>
            <button
              type="button"
              data-copy="snippet-${s.id}"
              aria-label="Copy the ${s.title} example"
            >
              Copy
            </button>
          </section>`,
      )}
      <p class="copy-status" role="status" aria-live="polite"></p>
      <p>See <a href="/app/usage">Usage</a> for the models your tier may call.</p>`,
  });
}
