// Reachability probe for any OpenAI-compatible API (OpenAI, Ollama, vLLM, the local test
// server): GET /models is free, needs the same credentials, and exists on all of them.
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

export async function probeOpenAiCompatible(baseUrl: string | undefined, apiKey: string | undefined): Promise<void> {
  const root = (baseUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const response = await fetch(`${root}/models`, {
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    signal: AbortSignal.timeout(3000),
  });
  if (!response.ok) throw new Error(`GET ${root}/models answered ${response.status}`);
}
