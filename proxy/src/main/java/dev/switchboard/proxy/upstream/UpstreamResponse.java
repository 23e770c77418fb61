package dev.switchboard.proxy.upstream;

/** What one successful try returns: a whole completion, or a stream still to be read. */
public sealed interface UpstreamResponse permits Completion, ChatStream {}
