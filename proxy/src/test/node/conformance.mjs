// Checks that the official OpenAI SDK works against a Switchboard proxy as against OpenAI.
// Env: BASE_URL (…/v1), API_KEY, MODEL, and optionally BROKEN_STREAM_MODEL (a model whose
// stream breaks after its first chunk). Prints one JSON line per check; exits 1 on any failure.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY || 'unused', maxRetries: 0 });
const model = process.env.MODEL;
let failures = 0;

async function check(name, fn) {
  try {
    const detail = await fn();
    console.log(JSON.stringify({ check: name, ok: true, detail }));
  } catch (e) {
    failures++;
    console.log(JSON.stringify({ check: name, ok: false, error: String(e && e.stack || e) }));
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

await check('non-stream completion', async () => {
  const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Say hello' }] });
  assert(r.object === 'chat.completion', `object was ${r.object}`);
  assert(typeof r.choices[0].message.content === 'string' && r.choices[0].message.content.length > 0, 'empty content');
  assert(r.usage && r.usage.total_tokens > 0, 'no usage');
  return r.choices[0].message.content;
});

await check('raw response headers', async () => {
  const { response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  assert(response.headers.get('x-switchboard-route'), 'no x-switchboard-route');
  assert(response.headers.get('x-request-id'), 'no x-request-id');
  return response.headers.get('x-switchboard-backend');
});

await check('stream with usage', async () => {
  const stream = await client.chat.completions.create({
    model, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Stream this please' }],
  });
  let text = '';
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.choices.length > 0) text += chunk.choices[0].delta.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert(chunks > 1, `only ${chunks} chunks`);
  assert(text.length > 0, 'no text streamed');
  assert(usage && usage.completion_tokens > 0, 'no usage chunk');
  return text;
});

await check('stream helper', async () => {
  const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'helper test' }] });
  const final = await runner.finalChatCompletion();
  assert(final.choices[0].message.content.length > 0, 'no final content');
  return final.choices[0].finish_reason;
});

await check('models list', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert(ids.includes(model), `${model} not in ${ids}`);
  const one = await client.models.retrieve(model);
  assert(one.id === model, 'retrieve returned another model');
  return ids;
});

await check('unknown model raises NotFoundError', async () => {
  try {
    await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  } catch (e) {
    assert(e instanceof OpenAI.NotFoundError, `got ${e && e.constructor && e.constructor.name}`);
    assert(e.status === 404 && e.code === 'model_not_found', `status ${e.status} code ${e.code}`);
    return e.message;
  }
  throw new Error('no error raised');
});

await check('bad request raises BadRequestError', async () => {
  try {
    await client.chat.completions.create({ model, temperature: 7, messages: [{ role: 'user', content: 'x' }] });
  } catch (e) {
    assert(e instanceof OpenAI.BadRequestError, `got ${e && e.constructor && e.constructor.name}`);
    assert(e.param === 'temperature', `param ${e.param}`);
    return e.message;
  }
  throw new Error('no error raised');
});

if (process.env.TOOLS) {
  await check('a streamed tool call assembled by the SDK helpers', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a place',
      parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } } }];
    const runner = client.chat.completions.stream({ model, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const names = [];
    runner.on('tool_calls.function.arguments.done', (e) => names.push(e.name));
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0].message.tool_calls;
    assert(calls && calls.length >= 1, 'no tool calls assembled');
    for (const c of calls) {
      assert(c.id && c.type === 'function', `bad call ${JSON.stringify(c)}`);
      JSON.parse(c.function.arguments);
    }
    assert(final.choices[0].finish_reason === 'tool_calls', `finish_reason ${final.choices[0].finish_reason}`);
    assert(names.length === calls.length, `argument events ${names}`);
    return calls.map((c) => `${c.function.name}(${c.function.arguments})`);
  });

  await check('a whole tool call answer', async () => {
    const r = await client.chat.completions.create({ model, tools: [{ type: 'function', function: { name: 'get_weather',
      parameters: { type: 'object' } } }], messages: [{ role: 'user', content: 'Weather?' }] });
    const calls = r.choices[0].message.tool_calls;
    assert(calls && calls.length >= 1 && JSON.parse(calls[0].function.arguments), 'no tool call');
    return calls.length;
  });
}

if (process.env.BROKEN_STREAM_MODEL) {
  await check('a stream broken mid-way raises, never ends silently', async () => {
    const stream = await client.chat.completions.create({
      model: process.env.BROKEN_STREAM_MODEL, stream: true, messages: [{ role: 'user', content: 'x' }],
    });
    let text = '';
    try {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    } catch (e) {
      assert(e instanceof OpenAI.APIError, `got ${e && e.constructor && e.constructor.name}`);
      return { partial: text, error: e.message };
    }
    throw new Error(`the stream ended without an error after '${text}'`);
  });
}

process.exit(failures === 0 ? 0 : 1);
