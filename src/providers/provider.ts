import type { IncomingHttpHeaders } from 'node:http';
import type { Deployment } from '../config/catalog.js';
import type { GatewayError } from '../errors.js';
import type { ChatRequest } from '../openai/chat-request.js';
import type { OutChunk, Usage } from '../openai/chat-response.js';
import type { SseEvent } from '../streaming/sse-decoder.js';

/**
 * What every provider adapter implements. Adapters are pure translation: they never do I/O,
 * so the same code serves Node and a Workers runtime, and tests run them without sockets.
 */
export interface ProviderAdapter {
  /** Builds the upstream HTTP call. Throws a 400 GatewayError for what the provider cannot do. */
  buildRequest(request: ChatRequest, ctx: RequestContext): UpstreamRequest;
  /** Translates a whole (non-streamed) 2xx answer, already JSON-parsed, to OpenAI's form. */
  parseResponse(body: unknown, ctx: ResponseContext): TranslatedResponse;
  /** A translator for one streamed answer. */
  createStream(ctx: ResponseContext): StreamTranslator;
  /** Maps a non-2xx upstream answer to the gateway's error. */
  mapError(status: number, body: string, headers: IncomingHttpHeaders): GatewayError;
  /** Decoder for the streamed body; SSE when not given. */
  createDecoder?(): StreamDecoder;
}

export interface RequestContext {
  deployment: Deployment;
  stream: boolean;
  /** Completion cap to send when the client set none (the limiter reserved it). */
  maxTokens: number;
}

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ResponseContext {
  /** The model id as the client asked for it, echoed in every answer. */
  model: string;
  deployment: Deployment;
  /** Unix seconds, for answers whose provider does not give a time. */
  created: number;
  request: ChatRequest;
}

export interface TranslatedResponse {
  body: Record<string, unknown>;
  usage: Usage | undefined;
}

/** Receives what a stream translator produces, in order. */
export interface ChunkSink {
  /** An OpenAI chunk. A chunk with `usage` set is the usage chunk. */
  chunk(chunk: OutChunk): void;
  /** The stream failed after it began; nothing follows. */
  error(error: GatewayError, usage?: Usage): void;
}

/** Turns upstream events into OpenAI chunks; one instance per streamed answer. */
export interface StreamTranslator {
  event(event: SseEvent, sink: ChunkSink): void;
  /** The upstream body ended. */
  end(sink: ChunkSink): void;
  /** What the provider has reported of usage so far, for a stream cut short. */
  partialUsage?(): Usage | undefined;
}

export interface StreamDecoder {
  push(bytes: Buffer, onEvent: (event: SseEvent) => void): void;
  end(onEvent: (event: SseEvent) => void): void;
}
