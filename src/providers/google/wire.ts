import { z } from 'zod';

/**
 * What generateContent and streamGenerateContent answer, checked only as far as the gateway
 * reads it. https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */

const partialArgSchema = z.looseObject({
  jsonPath: z.string(),
  stringValue: z.string().optional(),
  numberValue: z.number().optional(),
  boolValue: z.boolean().optional(),
  nullValue: z.unknown().optional(),
  willContinue: z.boolean().optional(),
});
export type PartialArg = z.infer<typeof partialArgSchema>;

const functionCallSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  args: z.record(z.string(), z.unknown()).optional(),
  /** Vertex streamed arguments (streamFunctionCallArguments). */
  partialArgs: z.array(partialArgSchema).optional(),
  willContinue: z.boolean().optional(),
});
export type GeminiFunctionCall = z.infer<typeof functionCallSchema>;

const partSchema = z.looseObject({
  text: z.string().optional(),
  /** A thought summary: never part of the answer's content. */
  thought: z.boolean().optional(),
  functionCall: functionCallSchema.optional(),
});
export type GeminiPart = z.infer<typeof partSchema>;

export const candidateSchema = z.looseObject({
  index: z.number().int().optional(),
  content: z.looseObject({ parts: z.array(partSchema).optional() }).optional(),
  finishReason: z.string().optional(),
});
export type GeminiCandidate = z.infer<typeof candidateSchema>;

export const geminiUsageSchema = z.looseObject({
  promptTokenCount: z.number().int().optional(),
  candidatesTokenCount: z.number().int().optional(),
  thoughtsTokenCount: z.number().int().optional(),
  toolUsePromptTokenCount: z.number().int().optional(),
  cachedContentTokenCount: z.number().int().optional(),
});
export type GeminiUsage = z.infer<typeof geminiUsageSchema>;

const errorObjectSchema = z.looseObject({
  code: z.number().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.array(z.looseObject({ '@type': z.string().optional() })).optional(),
});
export type GeminiErrorObject = z.infer<typeof errorObjectSchema>;

export const responseSchema = z.looseObject({
  candidates: z.array(candidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: geminiUsageSchema.optional(),
  responseId: z.string().optional(),
  /** A failure inside a 200 stream arrives as an error object in place of a chunk. */
  error: errorObjectSchema.optional(),
});
export type GeminiResponse = z.infer<typeof responseSchema>;

/** `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED",...}}`, sometimes inside an array. */
export const errorBodySchema = z.union([
  z.looseObject({ error: errorObjectSchema }),
  z.array(z.looseObject({ error: errorObjectSchema })).min(1),
]);
