// The Responses API through a Switchboard proxy, driven by the clients that speak it: the
// official OpenAI SDK (responses.create and responses.stream, a multi-turn function-tool loop
// both with previous_response_id and with the full input and store: false, reasoning summaries,
// responses.retrieve, and each error status as the SDK's own error class) and the OpenAI Agents
// SDK with its default model, which speaks the Responses API.
// Env: BASE_URL (…/v1), API_KEY, MODELS (comma-separated routes whose fake model plays the
// weather agent: get_weather, then get_time, then ANSWER), AGENT_MODELS (routes for the Agents
// SDK), ERRORS (JSON: {"<status>": {"model": ..., "apiKey"?: ..., "maxOutputTokens"?: ...}}).
// Prints one JSON line per check; exits 1 on any failure.
import OpenAI from 'openai';
import { Agent, run, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled, tool } from '@openai/agents';
import { z } from 'zod';

// The Agents SDK would otherwise send traces, with the key, to OpenAI.
setTracingDisabled(true);

const baseURL = process.env.BASE_URL;
const apiKey = process.env.API_KEY || 'unused';
const answer = process.env.ANSWER;
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
let failures = 0;

async function check(name, fn) {
  try {
    const detail = await fn();
    console.log(JSON.stringify({ check: name, ok: true, detail }));
  } catch (e) {
    failures++;
    console.log(JSON.stringify({ check: name, ok: false, error: String((e && e.stack) || e) }));
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const tools = [
  { type: 'function', name: 'get_weather', description: 'Weather in a city', strict: false,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  { type: 'function', name: 'get_time', description: 'The time now', strict: false, parameters: { type: 'object', properties: {} } },
];

async function loop(model, { stream, chained }) {
  let input = [{ role: 'user', content: 'What is the weather in Paris, and the time?' }];
  let previous;
  for (let turn = 1; turn <= 5; turn++) {
    const params = { model, input, tools, reasoning: { effort: 'medium', summary: 'auto' } };
    if (chained) {
      if (previous) params.previous_response_id = previous;
    } else {
      params.store = false;
      params.include = ['reasoning.encrypted_content'];
    }
    const response = stream ? await client.responses.stream(params).finalResponse() : await client.responses.create(params);
    assert(response.object === 'response' && response.id.startsWith('resp_'), `turn ${turn}: ${JSON.stringify(response)}`);
    assert(response.usage && response.usage.output_tokens > 0, `usage ${JSON.stringify(response.usage)}`);
    previous = response.id;
    const calls = response.output.filter((i) => i.type === 'function_call');
    if (calls.length === 0) {
      assert(response.output_text === answer, `turn ${turn} answered ${JSON.stringify(response.output_text)}`);
      assert(turn === 3, `answered after ${turn} turns`);
      return turn;
    }
    const outputs = calls.map((c) => ({ type: 'function_call_output', call_id: c.call_id,
      output: c.name === 'get_weather' ? 'sunny' : '12:00' }));
    input = chained ? outputs : [...input, ...response.output, ...outputs];
  }
  throw new Error('no answer after 5 turns');
}

// Errors first: a 503 needs a backend the gateway ejected moments ago.
const classes = { 400: OpenAI.BadRequestError, 401: OpenAI.AuthenticationError, 404: OpenAI.NotFoundError,
  429: OpenAI.RateLimitError, 502: OpenAI.InternalServerError, 503: OpenAI.InternalServerError };
for (const [status, spec] of Object.entries(JSON.parse(process.env.ERRORS || '{}'))) {
  await check(`HTTP ${status} raises ${classes[status].name}`, async () => {
    const c = new OpenAI({ baseURL, apiKey: spec.apiKey || apiKey, maxRetries: 0 });
    const params = { model: spec.model, input: 'hi' };
    if (spec.maxOutputTokens !== undefined) params.max_output_tokens = spec.maxOutputTokens;
    try {
      await c.responses.create(params);
    } catch (e) {
      assert(e instanceof classes[status], `got ${e && e.constructor && e.constructor.name}: ${e}`);
      assert(e.status === Number(status), `status ${e.status}`);
      assert(e.error && typeof e.error.message === 'string', JSON.stringify(e.error));
      return e.code || e.type;
    }
    throw new Error('no error');
  });
}

for (const model of (process.env.MODELS || '').split(',').filter(Boolean)) {
  await check(`${model}: responses.create loop with previous_response_id`, () => loop(model, { stream: false, chained: true }));
  await check(`${model}: responses.stream loop with the whole input, store false`, () => loop(model, { stream: true, chained: false }));
  await check(`${model}: responses.retrieve`, async () => {
    const created = await client.responses.create({ model, input: 'What is the weather in Paris?' });
    const got = await client.responses.retrieve(created.id);
    assert(got.id === created.id && got.output.length === created.output.length, JSON.stringify(got));
    const items = await client.responses.inputItems.list(created.id);
    assert(items.data.length === 1, JSON.stringify(items));
    return got.status;
  });
}

setOpenAIAPI('responses');
setDefaultOpenAIClient(client);
for (const model of (process.env.AGENT_MODELS || '').split(',').filter(Boolean)) {
  for (const stream of [false, true]) {
    await check(`${model}: openai agents sdk, responses model${stream ? ', streamed' : ''}`, async () => {
      const calls = [];
      const agent = new Agent({
        name: 'weather',
        instructions: 'Answer with the weather and the time.',
        model,
        tools: [
          tool({ name: 'get_weather', description: 'Weather in a city', parameters: z.object({ city: z.string() }),
            execute: async ({ city }) => { calls.push(`get_weather(${city})`); return 'sunny'; } }),
          tool({ name: 'get_time', description: 'The time now', parameters: z.object({}),
            execute: async () => { calls.push('get_time()'); return '12:00'; } }),
        ],
      });
      const result = await run(agent, 'What is the weather in Paris, and the time?', { maxTurns: 5, stream });
      if (stream) {
        for await (const _ of result) { /* events as they come */ }
        await result.completed;
      }
      assert(result.finalOutput === answer, `answered ${JSON.stringify(result.finalOutput)}`);
      assert(calls.join(',') === 'get_weather(Paris),get_time()', `called ${calls}`);
      return calls;
    });
  }
}

process.exit(failures === 0 ? 0 : 1);
