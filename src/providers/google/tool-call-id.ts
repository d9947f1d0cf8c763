/**
 * Gemini function calls have no id (unless the model sets one), yet OpenAI clients send each
 * result back under its call's id. The id is made from the response id, the choice and the
 * call's position, so it is the same in a streamed and a whole answer and never repeats.
 */
export function toolCallId(responseId: string, choice: number, position: number): string {
  const clean = responseId.replace(/[^a-zA-Z0-9_-]/g, '');
  return `call_${clean}_${choice}_${position}`;
}
