// The official OpenAI and Anthropic SDKs with ClientKey keys: what each refusal becomes in the
// SDK (its own error classes, status, code and headers), and that a spent budget is not retried.
// Env: BASE_URL (the proxy, without /v1), MODEL (the route the keys may call), OTHER (one they may
// not), LIMITED / LIMITED_MESSAGES (keys allowed 1 request per minute), BROKE / BROKE_MESSAGES
// (keys whose budget one request spends), OFF (a disabled key).
// Prints one JSON line per check; exits 1 on any failure.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const env = process.env;
const openai = (apiKey, maxRetries = 0) => new OpenAI({ baseURL: env.BASE_URL + '/v1', apiKey, maxRetries });
const anthropic = (apiKey, maxRetries = 0) => new Anthropic({ baseURL: env.BASE_URL, apiKey, maxRetries });
const chat = { model: env.MODEL, messages: [{ role: 'user', content: 'hello' }], max_tokens: 20 };
const message = { model: env.MODEL, messages: [{ role: 'user', content: 'hello' }], max_tokens: 20 };
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

async function refused(call, errorClass) {
  try {
    await call();
  } catch (e) {
    assert(e instanceof errorClass, `expected ${errorClass.name}, got ${e && e.constructor && e.constructor.name}: ${e}`);
    return e;
  }
  throw new Error(`expected ${errorClass.name}, the call succeeded`);
}

await check('openai: models.list shows only what the key may call', async () => {
  const ids = [];
  for await (const m of openai(env.LIMITED).models.list()) ids.push(m.id);
  assert(JSON.stringify(ids) === JSON.stringify([env.MODEL]), `listed ${JSON.stringify(ids)}`);
  return ids;
});

await check('openai: a model the key may not call is NotFoundError model_not_found', async () => {
  const e = await refused(() => openai(env.LIMITED).chat.completions.create({ ...chat, model: env.OTHER }), OpenAI.NotFoundError);
  assert(e.status === 404 && e.code === 'model_not_found', `${e.status} ${e.code}`);
  assert(e.message.includes('do not have access'), e.message);
  return e.message;
});

await check('openai: the minute limit is RateLimitError rate_limit_exceeded with retry-after', async () => {
  const ok = await openai(env.LIMITED).chat.completions.create(chat);
  assert(ok.choices[0].message.content.length > 0, JSON.stringify(ok));
  const e = await refused(() => openai(env.LIMITED).chat.completions.create(chat), OpenAI.RateLimitError);
  assert(e.status === 429 && e.code === 'rate_limit_exceeded', `${e.status} ${e.code}`);
  assert(/^[1-9][0-9]*$/.test(e.headers.get('retry-after') || ''), `retry-after ${e.headers.get('retry-after')}`);
  return e.message;
});

await check('openai: a spent budget is RateLimitError insufficient_quota, not retried', async () => {
  await openai(env.BROKE).chat.completions.create(chat);
  // The SDK's default retries: a spent budget must fail at once (x-should-retry: false), not three times.
  const e = await refused(() => openai(env.BROKE, 2).chat.completions.create({ ...chat, stream: true }), OpenAI.RateLimitError);
  assert(e.status === 429 && e.code === 'insufficient_quota' && e.type === 'insufficient_quota', `${e.status} ${e.code} ${e.type}`);
  assert(e.headers.get('retry-after') === null, `retry-after ${e.headers.get('retry-after')}`);
  return e.message;
});

await check('openai: a disabled key is AuthenticationError saying so', async () => {
  const e = await refused(() => openai(env.OFF).chat.completions.create(chat), OpenAI.AuthenticationError);
  assert(e.status === 401 && e.message.includes('disabled'), `${e.status} ${e.message}`);
  return e.message;
});

await check('anthropic: the minute limit is RateLimitError with retry-after', async () => {
  const ok = await anthropic(env.LIMITED_MESSAGES).messages.create(message);
  assert(ok.type === 'message', JSON.stringify(ok));
  const e = await refused(() => anthropic(env.LIMITED_MESSAGES).messages.create(message), Anthropic.RateLimitError);
  assert(e.status === 429 && e.error.error.type === 'rate_limit_error', `${e.status} ${JSON.stringify(e.error)}`);
  assert(/^[1-9][0-9]*$/.test(e.headers.get('retry-after') || ''), `retry-after ${e.headers.get('retry-after')}`);
  return e.message;
});

await check('anthropic: a spent budget is BadRequestError, not retried', async () => {
  await anthropic(env.BROKE_MESSAGES).messages.create(message);
  const e = await refused(() => anthropic(env.BROKE_MESSAGES, 2).messages.create(message), Anthropic.BadRequestError);
  assert(e.status === 400 && e.error.error.type === 'invalid_request_error', `${e.status} ${JSON.stringify(e.error)}`);
  assert(e.message.includes('quota'), e.message);
  return e.message;
});

await check('anthropic: an unknown key is AuthenticationError', async () => {
  const e = await refused(() => anthropic('sk-sb-nobody').messages.create(message), Anthropic.AuthenticationError);
  assert(e.status === 401 && e.error.error.type === 'authentication_error', `${e.status} ${JSON.stringify(e.error)}`);
  return e.message;
});

process.exit(failures === 0 ? 0 : 1);
