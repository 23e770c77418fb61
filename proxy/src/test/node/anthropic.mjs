// The official Anthropic SDK against a Switchboard proxy's Messages surface: messages.create and
// messages.stream (text, a multi-turn tool loop with thinking on, images), countTokens, and each
// error status raising the SDK's own error class.
// Env: BASE_URL (the proxy, without /v1), API_KEY, MODELS (comma-separated routes whose fake model
// plays the weather agent: get_weather, then get_time, then ANSWER), IMAGE_MODEL (a route that
// takes images), ERRORS (JSON: {"<status>": {"model": ..., "apiKey"?: ..., "big"?: true}}).
// Prints one JSON line per check; exits 1 on any failure.
import Anthropic from '@anthropic-ai/sdk';

const baseURL = process.env.BASE_URL;
const apiKey = process.env.API_KEY || 'unused';
const answer = process.env.ANSWER;
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0 });
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
  { name: 'get_weather', description: 'Weather in a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  { name: 'get_time', description: 'The time now', input_schema: { type: 'object', properties: {} } },
];

// The loop an agent built on the SDK runs: keep response.content as the assistant turn, answer each tool_use.
async function toolLoop(model, stream) {
  const messages = [{ role: 'user', content: 'What is the weather in Paris, and the time?' }];
  for (let turn = 1; turn <= 5; turn++) {
    const params = { model, max_tokens: 8192, messages, tools, thinking: { type: 'enabled', budget_tokens: 2048 } };
    const message = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
    assert(message.type === 'message' && message.id.startsWith('msg_'), `turn ${turn}: ${JSON.stringify(message)}`);
    assert(message.usage.output_tokens > 0, `turn ${turn} usage ${JSON.stringify(message.usage)}`);
    messages.push({ role: 'assistant', content: message.content });
    const uses = message.content.filter((b) => b.type === 'tool_use');
    if (uses.length === 0) {
      const text = message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
      assert(text === answer, `turn ${turn} answered ${JSON.stringify(text)}`);
      assert(message.stop_reason === 'end_turn', `stop_reason ${message.stop_reason}`);
      assert(turn === 3, `answered after ${turn} turns`);
      return turn;
    }
    assert(message.stop_reason === 'tool_use', `stop_reason ${message.stop_reason}`);
    messages.push({ role: 'user', content: uses.map((u) => ({ type: 'tool_result', tool_use_id: u.id,
      content: u.name === 'get_weather' ? 'sunny' : '12:00' })) });
  }
  throw new Error('no answer after 5 turns');
}

// Errors first: the 529 needs a backend the gateway ejected moments ago.
const classes = { 400: Anthropic.BadRequestError, 401: Anthropic.AuthenticationError, 404: Anthropic.NotFoundError,
  413: Anthropic.APIError, 429: Anthropic.RateLimitError, 502: Anthropic.InternalServerError, 529: Anthropic.InternalServerError };
for (const [status, spec] of Object.entries(JSON.parse(process.env.ERRORS || '{}'))) {
  await check(`HTTP ${status} raises ${classes[status].name}`, async () => {
    const c = new Anthropic({ baseURL, apiKey: spec.apiKey || apiKey, maxRetries: 0 });
    const content = spec.big ? 'x'.repeat(300000) : 'hi';
    const params = { model: spec.model, max_tokens: spec.maxTokens ?? 100, messages: [{ role: 'user', content }] };
    try {
      await (spec.stream ? c.messages.stream(params).finalMessage() : c.messages.create(params));
    } catch (e) {
      assert(e instanceof classes[status], `got ${e && e.constructor && e.constructor.name}: ${e}`);
      assert(e.status === Number(status), `status ${e.status}`);
      assert(e.error && e.error.type === 'error' && typeof e.error.error.message === 'string', JSON.stringify(e.error));
      return e.error.error.type;
    }
    throw new Error('no error');
  });
}

const models = (process.env.MODELS || '').split(',').filter(Boolean);
for (const model of models) {
  await check(`${model}: messages.create tool loop with thinking`, () => toolLoop(model, false));
  await check(`${model}: messages.stream tool loop with thinking`, () => toolLoop(model, true));
  await check(`${model}: messages.stream text events`, async () => {
    const stream = client.messages.stream({ model, max_tokens: 100, messages: [{ role: 'user', content: 'Say hi' }] });
    let deltas = 0;
    stream.on('text', () => { deltas++; });
    const message = await stream.finalMessage();
    assert(message.content.length > 0, JSON.stringify(message));
    return { deltas, stop: message.stop_reason };
  });
  await check(`${model}: countTokens`, async () => {
    const counted = await client.messages.countTokens({ model, messages: [{ role: 'user', content: 'How many tokens is this?' }], tools });
    assert(Number.isInteger(counted.input_tokens) && counted.input_tokens > 0, JSON.stringify(counted));
    return counted.input_tokens;
  });
}

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
if (process.env.IMAGE_MODEL) {
  await check(`${process.env.IMAGE_MODEL}: an image as base64`, async () => {
    const message = await client.messages.create({ model: process.env.IMAGE_MODEL, max_tokens: 100, messages: [{ role: 'user',
      content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }, { type: 'text', text: 'What is this?' }] }] });
    assert(message.content.length > 0, JSON.stringify(message));
    return message.content[0].type;
  });
}

await check('models.list in Anthropic shape', async () => {
  const page = await client.models.list();
  assert(page.data.length > 0 && page.data[0].type === 'model', JSON.stringify(page.data));
  return page.data.map((m) => m.id);
});

process.exit(failures === 0 ? 0 : 1);
