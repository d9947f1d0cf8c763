import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { KeyAuthenticator, Principal } from '../accounts/authenticate.js';
import type { Catalog, CatalogModel } from '../config/catalog.js';
import type { GatewayConfig } from '../config/schema.js';
import { errorBody, errorHead, GatewayError } from '../errors.js';
import type { ChatOutcome, ChatPipeline } from '../gateway/chat-pipeline.js';
import { resolveModel } from '../gateway/resolve-model.js';
import type { Logger } from '../logger.js';
import { NodeResponder, sendJson } from './node-responder.js';
import { readJsonBody } from './read-body.js';

export interface RouteDeps {
  config: GatewayConfig;
  catalog: Catalog;
  auth: KeyAuthenticator;
  pipeline: ChatPipeline;
  logger: Logger;
  /** The body of `GET /api/user/stats` for a caller. */
  stats: (principal: Principal) => Promise<unknown>;
  /** Serves `/app` and `/api/*` routes the API does not own; 404 when absent. */
  fallback?: RequestListener;
}

/**
 * The HTTP edge on node:http. The hot route (chat completions) is served here directly, with no
 * framework and no web-stream conversion; everything else is small.
 */
export function createRequestListener(deps: RouteDeps): RequestListener {
  const created = Math.floor(Date.now() / 1000);
  const modelCard = (m: CatalogModel) => ({
    id: m.id,
    object: 'model',
    created,
    owned_by: m.ownedBy,
  });

  return (req, res) => {
    const requestId = `req_${randomUUID().replaceAll('-', '')}`;
    const started = performance.now();
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const fail = (error: unknown) => {
      const head = errorHead(error);
      sendJson(
        res,
        head.status,
        { 'x-request-id': requestId, ...head.headers },
        errorBody(error, requestId),
      );
      logRequest(deps.logger, req, requestId, started, { status: head.status, error });
    };

    if (path === '/v1/chat/completions') {
      if (req.method !== 'POST') return fail(methodNotAllowed('POST'));
      return void chat(deps, req, res, requestId, started).catch(fail);
    }
    if (path === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(methodNotAllowed('GET'));
      return sendJson(res, 200, {}, { status: 'ok' });
    }
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (req.method !== 'GET') return fail(methodNotAllowed('GET'));
      return void deps.auth
        .authenticate(req.headers.authorization)
        .then((principal) => {
          if (path === '/v1/models') {
            const data = deps.catalog.allowedFor(principal.tier).map(modelCard);
            return sendJson(res, 200, { 'x-request-id': requestId }, { object: 'list', data });
          }
          const id = decodePathPart(path.slice('/v1/models/'.length));
          const model = resolveModel(deps.catalog, id, principal.tier);
          sendJson(res, 200, { 'x-request-id': requestId }, modelCard(model));
        })
        .catch(fail);
    }
    if (path === '/api/user/stats') {
      if (req.method !== 'GET') return fail(methodNotAllowed('GET'));
      return void deps.auth
        .authenticate(req.headers.authorization)
        .then(deps.stats)
        .then((stats) => sendJson(res, 200, { 'x-request-id': requestId }, stats))
        .catch(fail);
    }
    if (deps.fallback) return deps.fallback(req, res);
    fail(new GatewayError('not_found', `No route for ${req.method} ${path}.`));
  };
}

async function chat(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  started: number,
): Promise<void> {
  const body = await readJsonBody(req, deps.config.maxBodyBytes);
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const outcome = await deps.pipeline.handle(
    { requestId, authorization: req.headers.authorization, body, signal: controller.signal },
    new NodeResponder(res),
  );
  logRequest(deps.logger, req, requestId, started, outcome);
}

/** A percent-decoded path part; a malformed escape is kept as written (and so not found). */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function methodNotAllowed(allowed: string): GatewayError {
  return new GatewayError('method_not_allowed', `This route only accepts ${allowed}.`);
}

/**
 * One line per request: 5xx at error, the rest at info. Never the body or headers, so no key
 * can reach the log.
 */
function logRequest(
  logger: Logger,
  req: IncomingMessage,
  requestId: string,
  started: number,
  outcome: ChatOutcome,
): void {
  const line = {
    requestId,
    method: req.method,
    path: req.url?.split('?', 1)[0],
    status: outcome.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    account: outcome.accountId,
    model: outcome.model,
    host: outcome.host,
    stream: outcome.stream,
    tokensIn: outcome.usage?.prompt_tokens,
    tokensOut: outcome.usage?.completion_tokens,
    upstreamStatus: outcome.upstreamStatus,
    error: outcome.error instanceof GatewayError ? outcome.error.code : undefined,
  };
  if (outcome.status >= 500) {
    const cause = outcome.error instanceof GatewayError ? outcome.error.cause : outcome.error;
    logger.error({ ...line, cause: describeCause(cause) }, 'request failed');
  } else if (logger.isLevelEnabled('info')) {
    logger.info(line, 'request');
  }
}

function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
