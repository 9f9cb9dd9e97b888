// Drives a running Yinghuo server's OpenAI-compatible API with the official OpenAI Node SDK, the way a third-party
// client would, and prints one JSON object with what it saw. OpenAiNodeSdkTest starts the server and checks the
// output. Environment: YINGHUO_BASE_URL (…/v1), YINGHUO_API_KEY, YINGHUO_MODEL.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.YINGHUO_BASE_URL, apiKey: process.env.YINGHUO_API_KEY,
  maxRetries: 0, timeout: 120000 });
const model = process.env.YINGHUO_MODEL;
const seen = {};

const chat = await client.chat.completions.create({ model, max_tokens: 8, temperature: 0,
  messages: [{ role: 'user', content: '你好' }] });
seen.chat = { id: chat.id, finish: chat.choices[0].finish_reason, content: chat.choices[0].message.content,
  usage: chat.usage };

let streamed = '';
let streamId = null;
const stream = await client.chat.completions.create({ model, max_tokens: 8, temperature: 0, stream: true,
  messages: [{ role: 'user', content: '你好' }] });
for await (const chunk of stream) {
  streamId = chunk.id;
  streamed += chunk.choices[0]?.delta?.content ?? '';
}
seen.stream = { id: streamId, content: streamed };

const tools = [{ type: 'function', function: { name: 'get_weather', description: '查询天气',
  parameters: { type: 'object', properties: { city: { type: 'string', enum: ['北京', '上海'] } },
    required: ['city'] } } }];
const called = await client.chat.completions.create({ model, max_tokens: 600, temperature: 0, tools,
  tool_choice: 'required', messages: [{ role: 'user', content: '北京天气怎么样？' }] });
const call = called.choices[0].message.tool_calls?.[0];
seen.toolCall = { finish: called.choices[0].finish_reason, name: call?.function?.name,
  arguments: call ? JSON.parse(call.function.arguments) : null };

// The SDK's streaming helper assembles tool calls from chunks, as applications use it.
const runner = client.beta.chat.completions.stream({ model, max_tokens: 600, temperature: 0, tools,
  tool_choice: 'required', messages: [{ role: 'user', content: '上海天气怎么样？' }] });
const final = await runner.finalChatCompletion();
const streamedCall = final.choices[0].message.tool_calls?.[0];
seen.streamedToolCall = { name: streamedCall?.function?.name,
  arguments: streamedCall ? JSON.parse(streamedCall.function.arguments) : null };

const structured = await client.chat.completions.create({ model, max_tokens: 600, temperature: 0,
  messages: [{ role: 'user', content: '天气' }],
  response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: { type: 'object',
    properties: { city: { type: 'string', enum: ['北京', '上海'] }, sunny: { type: 'boolean' } },
    required: ['city', 'sunny'], additionalProperties: false } } } });
seen.structured = { finish: structured.choices[0].finish_reason,
  value: JSON.parse(structured.choices[0].message.content) };

async function errorOf(request) {
  try {
    await request();
    return null;
  } catch (e) {
    return { class: e.constructor.name, status: e.status, code: e.code ?? null, param: e.param ?? null };
  }
}
seen.wrongKey = await errorOf(() => new OpenAI({ baseURL: process.env.YINGHUO_BASE_URL, apiKey: 'wrong',
  maxRetries: 0 }).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }));
seen.tooLong = await errorOf(() => client.chat.completions.create({ model,
  messages: [{ role: 'user', content: '你好'.repeat(3000) }] }));
seen.unknownModel = await errorOf(() => client.chat.completions.create({ model: 'gpt-4o',
  messages: [{ role: 'user', content: 'hi' }] }));

console.log(JSON.stringify(seen));
