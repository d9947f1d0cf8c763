import type { KeyAuthenticator, Principal } from '../accounts/authenticate.js';
import type { Catalog, CatalogModel, Deployment } from '../config/catalog.js';
import type { ProviderName } from '../config/schema.js';
import { errorBody, errorHead, GatewayError } from '../errors.js';
import type { ChatRequest } from '../openai/chat-request.js';
import type { Usage } from '../openai/chat-response.js';
import { validateChatRequest } from '../openai/validate-chat-request.js';
import type { ProviderAdapter, ResponseContext } from '../providers/provider.js';
import type { Accounting, LedgerStatus, Tab } from './accounting.js';
import { CompletionCounter } from './completion-counter.js';
import { readText } from './read-text.js';
import type { Responder } from './responder.js';
import { resolveModel } from './resolve-model.js';
import { canFallBack } from './retry-policy.js';
import { relayStream } from './stream-relay.js';
import type { UpstreamClient, UpstreamResponse } from './upstream-client.js';

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
        const { deployment } = opened;
        await relayStream({
          call,
          request,
          adapter: opened.adapter,
          response: opened.response,
          ctx,
          tab,
          headers,
          responder,
          outcome,
          settle: (status, usage) => this.#settle(tab, status, usage, model, deployment),
        });
        return;
      }
      const json = parseUpstreamJson(await readText(opened.response.body, call.signal));
      const translated = opened.adapter.parseResponse(json, ctx);
      const usage = translated.usage ?? countedUsage(translated.body, tab.promptEstimate);
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

  #settle(
    tab: Tab,
    status: LedgerStatus,
    usage: Pick<Usage, 'prompt_tokens' | 'completion_tokens'>,
    model: CatalogModel,
    deployment: Deployment | undefined,
  ): Promise<void> {
    return this.#deps.accounting.settle(
      tab,
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

/** Usage of an answer whose provider reported none: its text counted with the tokenizer. */
function countedUsage(body: Record<string, unknown>, promptEstimate: number): Usage {
  const counter = new CompletionCounter();
  counter.addCompletion(body);
  return counter.usage(promptEstimate);
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
