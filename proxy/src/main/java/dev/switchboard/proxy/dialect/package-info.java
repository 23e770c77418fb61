/**
 * One codec per wire dialect, each converting requests, whole answers and streams between its
 * dialect and the canonical model of {@code exchange}, in both directions where a surface and a
 * backend speak it: {@code anthropic} (the Messages surface and Anthropic backends),
 * {@code gemini}, {@code ollama}, {@code responses} (Azure's Responses backends). The OpenAI chat
 * dialect is the canonical shape itself ({@code request} validates it, {@code exchange} builds it).
 * N dialects, N codecs: no pairwise translators. No I/O: adapters in {@code upstream} move bytes,
 * and everything here is tested without sockets.
 */
package dev.switchboard.proxy.dialect;
