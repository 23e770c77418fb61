package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.upstream.UpstreamException;
import java.util.function.Predicate;

/**
 * Parameters a provider cannot express. The request is refused with a 400 that names the
 * parameter and the provider, unless the route drops unsupported parameters: then they are
 * removed and the request goes on.
 */
public final class Unsupported {
  private final ObjectNode request;
  private final String provider;
  private final String backend;
  private final boolean drop;

  public Unsupported(ObjectNode request, String provider, String backend, boolean drop) {
    this.request = request;
    this.provider = provider;
    this.backend = backend;
    this.drop = drop;
  }

  /** Refuses (or drops) {@code name} when present and not null. */
  public Unsupported reject(String name) throws UpstreamException {
    return reject(name, v -> true, "");
  }

  /** Refuses (or drops) {@code name} when its value matches {@code unsupported}; {@code why} explains. */
  public Unsupported reject(String name, Predicate<JsonNode> unsupported, String why) throws UpstreamException {
    JsonNode value = request.get(name);
    if (value == null || value.isNull() || !unsupported.test(value)) {
      return this;
    }
    if (drop) {
      request.remove(name);
      return this;
    }
    throw UpstreamException.unsupported(name, "The parameter '" + name + "'" + (value.isValueNode() ? " = " + value : "")
        + " is not supported by provider " + provider + (why.isEmpty() ? "" : " (" + why + ")") + "; backend " + backend
        + ". Remove it, or set dropUnsupportedParameters on the route to drop it.");
  }

  /** Whether a boolean-ish parameter is set to true. */
  public static boolean isTrue(JsonNode v) {
    return v.asBoolean(false);
  }

  /** Whether a number is set to something other than its neutral value. */
  public static Predicate<JsonNode> not(double neutral) {
    return v -> v.isNumber() && v.asDouble() != neutral;
  }
}
