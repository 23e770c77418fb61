/**
 * The OpenAI-compatible public API: {@code /v1/chat/completions} and {@code /v1/models}, client
 * authentication, and how answers, streams and errors are written. Errors come from
 * {@code dev.switchboard.proxy.error.ErrorMapping} only.
 */
package dev.switchboard.proxy.api;
