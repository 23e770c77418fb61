package dev.switchboard.proxy.routing;

import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.upstream.Usage;
import java.util.Optional;

/**
 * What became of one client request, for the response (when nothing was committed), the access
 * log and metrics.
 *
 * @param backend the backend that answered, or the last one tried; empty when none was
 * @param status the HTTP status the client got (499 when it went away)
 * @param firstByteNanos time from the start of the request to the first byte sent, or 0
 * @param error the error to send when nothing was committed, or the one that broke a stream
 * @param committed whether the client already has the status line (a stream was opened)
 */
public record Outcome(String backend, int attempts, int status, long firstByteNanos, Usage usage, Optional<ApiError> error,
    boolean committed) {}
