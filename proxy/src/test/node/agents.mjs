// Multi-turn tool loops with reasoning through a Switchboard proxy, driven by the clients people
// really bring: the official OpenAI SDK (keeping choices[0].message as returned, streamed and
// not, and a client that keeps only documented fields), the Vercel AI SDK (generateText and streamText with
// tools over @ai-sdk/openai-compatible) and the OpenAI Agents SDK (its chat-completions model).
// Env: BASE_URL (…/v1), API_KEY, MODELS (comma-separated routes), ANSWER (the fake model's final
// text), ECHOING_CLIENTS_ONLY (routes where only clients echoing reasoning_content can finish). The fake model calls get_weather, then get_time, then answers. Prints one JSON line per
// check; exits 1 on any failure.
import OpenAI from 'openai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { Agent, OpenAIChatCompletionsModel, run, setTracingDisabled, tool as agentTool } from '@openai/agents';
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
  { type: 'function', function: { name: 'get_weather', description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
  { type: 'function', function: { name: 'get_time', description: 'The time now', parameters: { type: 'object', properties: {} } } },
];

function known(message) {
  const m = { role: 'assistant', content: message.content ?? null };
  if (message.tool_calls) {
    m.tool_calls = message.tool_calls.map((c) => ({ id: c.id, type: 'function',
      function: { name: c.function.name, arguments: c.function.arguments } }));
  }
  return m;
}

async function sdkLoop(model, { stream, strip }) {
  const messages = [{ role: 'user', content: 'What is the weather in Paris, and the time?' }];
  for (let turn = 1; turn <= 5; turn++) {
    let message;
    if (stream) {
      const runner = client.chat.completions.stream({ model, messages, tools, stream_options: { include_usage: true } });
      message = (await runner.finalChatCompletion()).choices[0].message;
    } else {
      message = (await client.chat.completions.create({ model, messages, tools })).choices[0].message;
    }
    messages.push(strip ? known(message) : message);
    if (!message.tool_calls || message.tool_calls.length === 0) {
      assert(message.content === answer, `turn ${turn} answered ${JSON.stringify(message.content)}`);
      assert(turn === 3, `answered after ${turn} turns`);
      return turn;
    }
    for (const call of message.tool_calls) {
      const args = JSON.parse(call.function.arguments); // must be JSON, "{}" for none
      assert(typeof args === 'object', `arguments ${call.function.arguments}`);
      messages.push({ role: 'tool', tool_call_id: call.id, content: call.function.name === 'get_weather' ? 'sunny' : '12:00' });
    }
  }
  throw new Error('no answer after 5 turns');
}

async function aiSdk(model, { stream } = { stream: false }) {
  const provider = createOpenAICompatible({ name: 'switchboard', baseURL, apiKey, includeUsage: true });
  const calls = [];
  const complete = stream ? async (options) => {
    const r = streamText(options);
    for await (const _ of r.textStream) { /* read it as an app would */ }
    return { text: await r.text, steps: await r.steps };
  } : generateText;
  const result = await complete({
    model: provider.chatModel(model),
    prompt: 'What is the weather in Paris, and the time?',
    stopWhen: stepCountIs(5),
    maxRetries: 0,
    tools: {
      get_weather: tool({ description: 'Weather in a city', inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => { calls.push(`get_weather(${city})`); return { sky: 'sunny' }; } }),
      get_time: tool({ description: 'The time now', inputSchema: z.object({}),
        execute: async () => { calls.push('get_time()'); return { time: '12:00' }; } }),
    },
  });
  assert(result.text === answer, `answered ${JSON.stringify(result.text)}`);
  assert(result.steps.length === 3, `${result.steps.length} steps`);
  assert(calls.join(',') === 'get_weather(Paris),get_time()', `called ${calls}`);
  return calls;
}

async function agentsSdk(model, { stream } = { stream: false }) {
  const calls = [];
  const agent = new Agent({
    name: 'weather',
    instructions: 'Answer with the weather and the time.',
    model: new OpenAIChatCompletionsModel(client, model),
    tools: [
      agentTool({ name: 'get_weather', description: 'Weather in a city', parameters: z.object({ city: z.string() }),
        execute: async ({ city }) => { calls.push(`get_weather(${city})`); return 'sunny'; } }),
      agentTool({ name: 'get_time', description: 'The time now', parameters: z.object({}),
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
}

for (const model of (process.env.MODELS || '').split(',').filter(Boolean)) {
  await check(`${model}: openai sdk keeps the message`, () => sdkLoop(model, { stream: false, strip: false }));
  await check(`${model}: openai sdk stream helper keeps the message`, () => sdkLoop(model, { stream: true, strip: false }));
  await check(`${model}: a client keeping only documented fields`, () => sdkLoop(model, { stream: false, strip: true }));
  await check(`${model}: vercel ai sdk generateText`, () => aiSdk(model));
  await check(`${model}: vercel ai sdk streamText`, () => aiSdk(model, { stream: true }));
  await check(`${model}: openai agents sdk`, () => agentsSdk(model));
  await check(`${model}: openai agents sdk, streamed`, () => agentsSdk(model, { stream: true }));
}
// Pass-through backends that need their own reasoning_content back get what the client sends:
// only the clients that echo it are expected to finish there.
for (const model of (process.env.ECHOING_CLIENTS_ONLY || '').split(',').filter(Boolean)) {
  await check(`${model}: openai sdk keeps the message`, () => sdkLoop(model, { stream: false, strip: false }));
  await check(`${model}: openai sdk stream helper keeps the message`, () => sdkLoop(model, { stream: true, strip: false }));
  await check(`${model}: vercel ai sdk generateText`, () => aiSdk(model));
}
process.exit(failures === 0 ? 0 : 1);
