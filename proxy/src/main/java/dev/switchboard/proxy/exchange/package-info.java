/**
 * The canonical exchange model's continuity part: the opaque state providers hand out with an
 * answer (Anthropic thinking signatures, Gemini thought signatures, encrypted reasoning items,
 * Ollama thinking) that must come back on the next turn, tagged with the backend that issued it.
 * Pure data and a bounded in-memory store; codecs read and write it in their own wire fields.
 */
package dev.switchboard.proxy.exchange;
