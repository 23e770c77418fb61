/**
 * Talking to providers: one {@link dev.switchboard.proxy.upstream.ProviderAdapter} per wire
 * protocol, all producing OpenAI-format completions and stream chunks, plus what they share:
 * HTTP clients with timeouts, the SSE splitter, failure classification and secret masking.
 * Routing and retries live in {@code routing} and know nothing of providers.
 */
package dev.switchboard.proxy.upstream;
