import type { KeyAuthenticator, Principal } from '../accounts/authenticate.js';
import type { Catalog, CatalogModel, Deployment } from '../config/catalog.js';
import type { GatewayConfig, ProviderName } from '../config/schema.js';
import { errorBody, errorHead, GatewayError } from '../errors.js';
import type { ChatRequest } from '../openai/chat-request.js';
import type { OutChunk, Usage } from '../openai/chat-response.js';
import { validateChatRequest } from '../openai/validate-chat-request.js';
import type { ChunkSink, ProviderAdapter, ResponseContext } from '../providers/provider.js';
import { SseDecoder } from '../streaming/sse-decoder.js';
import { sseData, sseDone, sseHeaders } from '../streaming/sse-format.js';
import type { Responder } from './responder.js';
import { resolveModel } from './resolve-model.js';
import { canFallBack } from './retry-policy.js';
import { upstreamFailure, type UpstreamClient, type UpstreamResponse } from './upstream-client.js';

export interface ChatPipelineDeps {
  config: GatewayConfig;
  catalog: Catalog;
  auth: KeyAuthenticator;
  upstream: UpstreamClient;
  providers: Record<ProviderName, ProviderAdapter>;
  now?: () => number;
}

/** One chat request as it arrives, already read and JSON-parsed by the HTTP layer. */
export interface ChatCall {
  requestId: string;
  authorization: string | undefined;
  body: unknown;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

/** What happened, for the one log line of the request. */
export interface ChatOutcome {
  status: number;
  accountId?: string;
  model?: string;
  host?: string;
  stream?: boolean;
  usage?: Usage;
  error?: GatewayError | unknown;
  /** The upstream said our credential is wrong: the operator must hear of it. */
  upstreamStatus?: number;
}

/** Largest upstream error body read; the rest is dropped. */
const maxErrorBodyBytes = 64 * 1024;

/** Steps 2 to 8 of a request (../shared/DESIGN.md), with no HTTP library in sight. */
export class ChatPipeline {
  readonly #deps: ChatPipelineDeps;
  readonly #now: () => number;

  constructor(deps: ChatPipelineDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async handle(call: ChatCall, responder: Responder): Promise<ChatOutcome> {
    const outcome: ChatOutcome = { status: 200 };
    const headers: Record<string, string> = { 'x-request-id': call.requestId };
    try {
      const principal = await this.#deps.auth.authenticate(call.authorization);
      outcome.accountId = principal.accountId;
      const request = validateChatRequest(call.body);
      const model = resolveModel(this.#deps.catalog, request.model, principal.tier);
      outcome.model = model.id;
      outcome.stream = request.stream === true;
      await this.#dispatch(call, principal, request, model, headers, responder, outcome);
    } catch (error) {
      outcome.error = error;
      outcome.status = errorHead(error).status;
      const head = errorHead(error);
      responder.json(head.status, { ...headers, ...head.headers }, errorBody(error, call.requestId));
    }
    return outcome;
  }

  async #dispatch(
    call: ChatCall,
    principal: Principal,
    request: ChatRequest,
    model: CatalogModel,
    headers: Record<string, string>,
    responder: Responder,
    outcome: ChatOutcome,
  ): Promise<void> {
    void principal;
    const stream = request.stream === true;
    const maxTokens = this.#deps.config.tiers[principal.tier].defaultMaxTokens;
    const opened = await this.#open(call, request, model, stream, maxTokens, outcome);
    const ctx: ResponseContext = {
      model: request.model,
      deployment: opened.deployment,
      created: Math.floor(this.#now() / 1000),
      request,
    };
    if (stream) {
      await this.#stream(call, request, opened, ctx, headers, responder, outcome);
    } else {
      const text = await readText(opened.response, call.signal);
      const json = parseUpstreamJson(text);
      const translated = opened.adapter.parseResponse(json, ctx);
      if (translated.usage) outcome.usage = translated.usage;
      responder.json(200, headers, translated.body);
    }
  }

  /** Finds a deployment that answers 2xx, falling back in catalog order. */
  async #open(
    call: ChatCall,
    request: ChatRequest,
    model: CatalogModel,
    stream: boolean,
    maxTokens: number,
    outcome: ChatOutcome,
  ): Promise<Opened> {
    let lastError: unknown;
    for (const deployment of model.deployments) {
      outcome.host = deployment.host;
      try {
        if (!deployment.apiKey && deployment.credentialEnv) throw notConfigured(model, deployment);
        const adapter = this.#deps.providers[deployment.provider];
        const upstreamCall = adapter.buildRequest(request, { deployment, stream, maxTokens });
        const response = await this.#deps.upstream.send(
          upstreamCall,
          deployment.timeoutMs,
          call.signal,
        );
        if (response.statusCode < 300) return { adapter, deployment, response };
        outcome.upstreamStatus = response.statusCode;
        const text = await readText(response, call.signal, maxErrorBodyBytes);
        throw adapter.mapError(response.statusCode, text, response.headers);
      } catch (error) {
        lastError = error;
        if (!canFallBack(error)) throw error;
      }
    }
    throw lastError;
  }

  async #stream(
    call: ChatCall,
    request: ChatRequest,
    opened: Opened,
    ctx: ResponseContext,
    headers: Record<string, string>,
    responder: Responder,
    outcome: ChatOutcome,
  ): Promise<void> {
    const includeUsage = request.stream_options?.include_usage === true;
    const translator = opened.adapter.createStream(ctx);
    const decoder = opened.adapter.createDecoder?.() ?? new SseDecoder();
    let failure: GatewayError | undefined;
    let blocked = false;
    // Headers go out with the first chunk, so a failure before it is still a plain error answer.
    let started = false;
    const start = () => {
      started = true;
      responder.startStream({ ...headers, ...sseHeaders });
    };
    const sink: ChunkSink = {
      chunk(chunk: OutChunk) {
        if (failure) return;
        if (!started) start();
        if (chunk.usage) {
          outcome.usage = chunk.usage;
          if (!includeUsage && chunk.choices.length === 0) return;
        }
        if (!includeUsage && 'usage' in chunk) delete chunk.usage;
        if (!responder.write(sseData(chunk))) blocked = true;
      },
      error(error: GatewayError, usage?: Usage) {
        if (usage) outcome.usage = usage;
        failure ??= error;
      },
    };
    const onEvent = (event: Parameters<typeof translator.event>[0]) => translator.event(event, sink);

    const body = opened.response.body;
    try {
      for await (const bytes of body) {
        decoder.push(bytes as Buffer, onEvent);
        if (failure) break;
        if (blocked) {
          // The client reads slower than the upstream writes: stop reading until it catches up.
          await new Promise<void>((resolve) => responder.onDrain(resolve));
          blocked = false;
        }
      }
      if (!failure) {
        decoder.end(onEvent);
        translator.end(sink);
      }
    } catch (error) {
      failure ??= error instanceof GatewayError ? error : upstreamFailure(error, call.signal);
    }
    if (call.signal.aborted) {
      body.destroy();
      outcome.status = 499;
      return;
    }
    if (failure) {
      body.destroy();
      if (!started) throw failure;
      outcome.error = failure;
      outcome.status = failure.status;
      responder.write(sseData(errorBody(failure, call.requestId)));
    } else {
      if (!started) start();
      responder.write(sseDone);
    }
    responder.end();
  }
}

interface Opened {
  adapter: ProviderAdapter;
  deployment: Deployment;
  response: UpstreamResponse;
}

function notConfigured(model: CatalogModel, deployment: Deployment): GatewayError {
  return new GatewayError(
    'provider_not_configured',
    `The model '${model.id}' is not available: the gateway has no credential for ${deployment.host}` +
      ` (set ${deployment.credentialEnv}).`,
  );
}

async function readText(
  response: UpstreamResponse,
  signal: AbortSignal,
  limit = Number.POSITIVE_INFINITY,
): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const bytes of response.body) {
      parts.push(bytes as Buffer);
      size += (bytes as Buffer).length;
      if (size >= limit) {
        response.body.destroy();
        break;
      }
    }
  } catch (error) {
    throw upstreamFailure(error, signal);
  }
  return Buffer.concat(parts).toString('utf8');
}

function parseUpstreamJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError(
      'upstream_bad_response',
      'The upstream provider sent an answer the gateway could not read.',
    );
  }
}
