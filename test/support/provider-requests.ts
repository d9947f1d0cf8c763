import type { ValidateFunction } from 'ajv';
import OpenAI from 'openai';
import { expect } from 'vitest';
import type { ReplayGateway } from './replay-gateway.js';
import { type ReceivedRequest, sseReplyHeaders } from './replay-upstream.js';

/** Golden tests of the bodies the gateway sends a provider: a request and what it became. */

export type ChatBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
export type JsonBody = Record<string, unknown>;

/** The first bytes of a JPEG (SOI + APP0 JFIF), whatever a data URL declares. */
export const jpeg = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1,
]).toString('base64');

export interface RequestProbe {
  /** Sends a request through the SDK and returns the body the upstream received, spec-checked. */
  sent(body: Omit<ChatBody, 'model'>, model?: string): Promise<JsonBody>;
  /** Sends a request the gateway must refuse with a 400, before any upstream call. */
  refused(body: Omit<ChatBody, 'model'>): Promise<InstanceType<typeof OpenAI.APIError>>;
  /**
   * Streams a request against an empty SSE answer, whatever comes of it, then puts the
   * upstream's handler back; returns the request the upstream received.
   */
  streamed(body: Omit<ChatBody, 'model'>): Promise<ReceivedRequest>;
}

/**
 * The probes of one provider's request tests: `model` is the default, `validate` the provider's
 * request schema, `what` names a request in a failure message.
 */
export function requestProbe(
  replay: ReplayGateway,
  { model, validate, what }: { model: string; validate: ValidateFunction; what: string },
): RequestProbe {
  return {
    async sent(body, bodyModel = model) {
      await replay.client.chat.completions.create({ model: bodyModel, ...body } as ChatBody);
      const json = replay.upstream.last.json as JsonBody;
      if (!validate(json))
        throw new Error(`not a valid ${what}: ${JSON.stringify(validate.errors)}`);
      return json;
    },
    async refused(body) {
      const error = await replay.client.chat.completions
        .create({ model, ...body } as ChatBody)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(replay.upstream.requests).toHaveLength(0);
      return error as InstanceType<typeof OpenAI.APIError>;
    },
    async streamed(body) {
      const handler = replay.upstream.handler;
      replay.upstream.handler = () => ({ status: 200, headers: sseReplyHeaders, body: '' });
      await replay.client.chat.completions
        .create({ model, ...body, stream: true })
        .then(async (s) => {
          for await (const _ of s) void _;
        })
        .catch(() => undefined);
      replay.upstream.handler = handler;
      return replay.upstream.last;
    },
  };
}
