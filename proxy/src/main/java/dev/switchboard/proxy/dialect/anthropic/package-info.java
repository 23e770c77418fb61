/**
 * Anthropic Messages, both ways. As a surface: {@link dev.switchboard.proxy.dialect.anthropic.MessagesRequestDecoder}
 * validates a request with Anthropic's rules and words and decodes it to the canonical shape;
 * {@link dev.switchboard.proxy.dialect.anthropic.MessagesAnswers} and
 * {@link dev.switchboard.proxy.dialect.anthropic.MessagesStreamEncoder} encode canonical answers
 * and streams back; {@link dev.switchboard.proxy.dialect.anthropic.MessagesErrors} says the
 * gateway's errors Anthropic's way. As a backend:
 * {@link dev.switchboard.proxy.dialect.anthropic.AnthropicTranslator} encodes canonical requests
 * and decodes Anthropic's answers and events. Same dialect on both sides is pass-through, done by
 * the adapter with the client's bytes.
 */
package dev.switchboard.proxy.dialect.anthropic;
