package dev.switchboard.proxy.upstream;

/** A whole non-streamed answer as an OpenAI {@code chat.completion} object. */
public record Completion(byte[] body, Usage usage) implements UpstreamResponse {}
