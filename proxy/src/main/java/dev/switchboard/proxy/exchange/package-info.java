/**
 * The canonical exchange model every codec converts to and from. Its shape is OpenAI Chat
 * Completions (requests as trees, whole answers as {@code chat.completion}, streams as
 * {@code chat.completion.chunk}s), extended with what that format cannot say by itself: the
 * continuity providers hand out with an answer (Anthropic thinking signatures, Gemini thought
 * signatures, encrypted reasoning items, Ollama thinking), tagged with the backend that issued
 * it and carried in {@code reasoning_details} and tool calls' {@code extra_content}
 * ({@link dev.switchboard.proxy.exchange.ChatContinuity}); usage; finish reasons; and the
 * {@link dev.switchboard.proxy.exchange.Dialect} an answer is in. Pure data and pure functions,
 * plus a bounded in-memory store for continuity that clients do not echo.
 */
package dev.switchboard.proxy.exchange;
