import type { KeyAuthenticator, Principal } from '../accounts/authenticate.js';
import type { Catalog, CatalogModel, Deployment } from '../config/catalog.js';
import type { ProviderName } from '../config/schema.js';
import { errorBody, errorHead, GatewayError } from '../errors.js';
import type { ChatRequest } from '../openai/chat-request.js';
import type { OutChunk, Usage } from '../openai/chat-response.js';
import { validateChatRequest } from '../openai/validate-chat-request.js';
import type { ChunkSink, ProviderAdapter, ResponseContext } from '../providers/provider.js';
import { SseDecoder, type SseEvent } from '../streaming/sse-decoder.js';
import { sseData, sseDone, sseHeaders } from '../streaming/sse-format.js';
import type { Accounting, LedgerStatus, Tab } from './accounting.js';
import { CompletionCounter } from './completion-counter.js';
import { readText } from './read-text.js';
import type { Responder } from './responder.js';
import { resolveModel } from './resolve-model.js';
import { canFallBack } from './retry-policy.js';
import { upstreamFailure, type UpstreamClient, type UpstreamResponse } from './upstream-client.js';

export interface ChatPipelineDeps {
  catalog: Catalog;
  auth: KeyAuthenticator;
  accounting: Accounting;
  upstream: UpstreamClient;
  providers: Record<ProviderName, ProviderAdapter>;
  now: () => number;
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
  error?: unknown;
  upstreamStatus?: number;
  /** The deployment the request was last sent to. */
  dispatched?: Deployment;
}

/** Largest upstream error body read; the rest is dropped. */
const maxErrorBodyBytes = 64 * 1024;

/** Steps 2 to 8 of a request (../shared/DESIGN.md), with no HTTP library in sight. */
export class ChatPipeline {
  readonly #deps: ChatPipelineDeps;

  constructor(deps: ChatPipelineDeps) {
    this.#deps = deps;
  }

  async handle(call: ChatCall, responder: Responder): Promise<ChatOutcome> {
    const outcome: ChatOutcome = { status: 200 };
    const headers: Record<string, string> = { 'x-request-id': call.requestId };
    try {
      const principal = await this.#deps.auth.authenticate(call.authorization);
      outcome.accountId = principal.accountId;
      const { request, model } = await this.#admit(call, principal, headers);
      outcome.model = model.id;
      outcome.stream = request.stream === true;
      const tab = await this.#deps.accounting.open(
        principal,
        request,
        call.requestId,
        this.#deps.now(),
      );
      Object.assign(headers, tab.headers);
      await this.#dispatch(call, request, model, tab, headers, responder, outcome);
    } catch (error) {
      const head = errorHead(error);
      outcome.error = error;
      outcome.status = head.status;
      responder.json(
        head.status,
        { ...headers, ...head.headers },
        errorBody(error, call.requestId),
      );
    }
    return outcome;
  }

  /** Validation and the tier check; their 400 and 403 still carry the rate-limit headers. */
  async #admit(
    call: ChatCall,
    principal: Principal,
    headers: Record<string, string>,
  ): Promise<{ request: ChatRequest; model: CatalogModel }> {
    try {
      const request = validateChatRequest(call.body);
      return { request, model: resolveModel(this.#deps.catalog, request.model, principal.tier) };
    } catch (error) {
      Object.assign(headers, await this.#deps.accounting.headers(principal, this.#deps.now()));
      throw error;
    }
  }

  async #dispatch(
    call: ChatCall,
    request: ChatRequest,
    model: CatalogModel,
    tab: Tab,
    headers: Record<string, string>,
    responder: Responder,
    outcome: ChatOutcome,
  ): Promise<void> {
    const stream = request.stream === true;
    let opened: Opened | undefined;
    try {
      opened = await this.#open(call, request, model, stream, tab.completionCap, outcome);
      const ctx: ResponseContext = {
        model: request.model,
        deployment: opened.deployment,
        created: Math.floor(this.#deps.now() / 1000),
        request,
      };
      if (stream) {
        await this.#stream(call, request, model, opened, ctx, tab, headers, responder, outcome);
        return;
      }
      const json = parseUpstreamJson(await readText(opened.response.body, call.signal));
      const translated = opened.adapter.parseResponse(json, ctx);
      const counter = new CompletionCounter();
      if (!translated.usage) counter.addCompletion(translated.body);
      const usage = translated.usage ?? counter.usage(tab.promptEstimate);
      outcome.usage = usage;
      await this.#settle(tab, 'ok', usage, model, opened.deployment);
      responder.json(200, headers, translated.body);
    } catch (error) {
      const status: LedgerStatus = call.signal.aborted ? 'client_cancelled' : 'upstream_error';
      const none = { prompt_tokens: 0, completion_tokens: 0 };
      await this.#settle(tab, status, none, model, opened?.deployment ?? outcome.dispatched);
      throw error;
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
        outcome.dispatched = deployment;
        const response = await this.#deps.upstream.send(
          upstreamCall,
          deployment.timeoutMs,
          call.signal,
        );
        if (response.statusCode < 300) return { adapter, deployment, response };
        outcome.upstreamStatus = response.statusCode;
        const text = await readText(response.body, call.signal, maxErrorBodyBytes);
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
    model: CatalogModel,
    opened: Opened,
    ctx: ResponseContext,
    tab: Tab,
    headers: Record<string, string>,
    responder: Responder,
    outcome: ChatOutcome,
  ): Promise<void> {
    const includeUsage = request.stream_options?.include_usage === true;
    const translator = opened.adapter.createStream(ctx);
    const decoder = opened.adapter.createDecoder?.() ?? new SseDecoder();
    const counter = new CompletionCounter();
    let failure: GatewayError | undefined;
    let blocked = false;
    // Frames translated from one upstream read go out in one write: a write per frame was the
    // largest cost of a stream in the profile.
    let pending = '';
    const flush = () => {
      if (pending === '') return;
      if (!responder.write(pending)) blocked = true;
      pending = '';
    };
    // Headers go out with the first chunk, so a failure before it is still a plain error answer.
    let started = false;
    const start = () => {
      started = true;
      responder.startStream({ ...headers, ...sseHeaders });
    };
    const sink: ChunkSink = {
      chunk(chunk: OutChunk) {
        if (failure) return;
        if (chunk.usage) {
          outcome.usage = chunk.usage;
          if (!includeUsage && chunk.choices.length === 0) return;
        } else if (!outcome.usage) {
          counter.addChunk(chunk);
        }
        if (!includeUsage && 'usage' in chunk) delete chunk.usage;
        if (!started) start();
        pending += sseData(chunk);
      },
      error(error: GatewayError, usage?: Usage) {
        if (usage) outcome.usage = usage;
        failure ??= error;
      },
    };
    const onEvent = (event: SseEvent) => translator.event(event, sink);

    const body = opened.response.body;
    try {
      for await (const bytes of body) {
        decoder.push(bytes as Buffer, onEvent);
        flush();
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
      failure ??= streamFailure(error, call.signal);
    }
    flush();
    if (failure) body.destroy();

    const usage = outcome.usage ?? cutShortUsage(translator.partialUsage?.(), counter, tab);
    if (call.signal.aborted) {
      outcome.status = 499;
      await this.#settle(tab, 'client_cancelled', usage, model, opened.deployment);
      return;
    }
    if (failure && !started) {
      // Nothing reached the client: the caller answers with the error's own status.
      await this.#settle(tab, 'upstream_error', usage, model, opened.deployment);
      throw failure;
    }
    await this.#settle(tab, failure ? 'upstream_error' : 'ok', usage, model, opened.deployment);
    if (!started) start();
    if (failure) {
      outcome.error = failure;
      outcome.status = failure.status;
      responder.end(sseData(errorBody(failure, call.requestId)));
    } else {
      responder.end(sseDone);
    }
  }

  #settle(
    tab: Tab,
    status: LedgerStatus,
    usage: Pick<Usage, 'prompt_tokens' | 'completion_tokens'>,
    model: CatalogModel,
    deployment: Deployment | undefined,
  ): Promise<void> {
    return tab.settle(
      {
        status,
        promptTokens: usage.prompt_tokens,
        completionTokens: usage.completion_tokens,
        ...(deployment && {
          upstream: {
            model: model.id,
            provider: deployment.provider,
            deployment: `${deployment.host}:${deployment.model}`,
          },
        }),
      },
      this.#deps.now(),
    );
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
    `The model '${model.id}' is not available: the gateway has no credential for ` +
      `${deployment.host} (set ${deployment.credentialEnv}).`,
  );
}

/**
 * Usage of a stream that ended without its usage chunk: the provider's figures so far (the
 * prompt is exact once it reported it), and at least what was counted as it streamed.
 */
function cutShortUsage(reported: Usage | undefined, counter: CompletionCounter, tab: Tab): Usage {
  const counted = counter.usage(tab.promptEstimate);
  if (!reported) return counted;
  const completion = Math.max(reported.completion_tokens, counted.completion_tokens);
  return {
    prompt_tokens: reported.prompt_tokens,
    completion_tokens: completion,
    total_tokens: reported.prompt_tokens + completion,
  };
}

/**
 * A stream that broke: the socket (a system or undici error, with a `code`) is the upstream's
 * failure; anything else thrown while translating is our own bug, a 500 that is logged.
 */
function streamFailure(error: unknown, signal: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' || signal.aborted) return upstreamFailure(error, signal);
  return new GatewayError('internal_error', 'The gateway failed while relaying the answer.', {
    cause: error,
  });
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
