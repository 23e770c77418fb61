package dev.switchboard.proxy.clients;

import dev.switchboard.config.ClientConfig;
import java.util.List;
import java.util.Optional;

/**
 * The client a request comes from.
 *
 * @param label the {@code client} label of metrics and the access log: the ClientKey's
 *     {@code namespace/name}, {@code key} for keys without limits, {@code none} on an open gateway;
 *     never anything the request chose
 * @param scope a hash of the presented key, for per-client state (continuity, stored responses); "" without one
 * @param config the ClientKey's config, when the key is one
 */
public record ClientIdentity(String label, String scope, Optional<ClientConfig> config) {
  public static final ClientIdentity ANONYMOUS = new ClientIdentity("none", "", Optional.empty());
  /** The console's playground on the admin port: counted as {@code console}, against no client's limits or budget. */
  public static final ClientIdentity CONSOLE = new ClientIdentity("console", "console", Optional.empty());

  /** A key without limits ({@code --api-key}, {@code clientKeys.existingSecret}). */
  public static ClientIdentity unlimited(String scope) {
    return new ClientIdentity("key", scope, Optional.empty());
  }

  public static ClientIdentity of(ClientConfig config, String scope) {
    return new ClientIdentity(config.id(), scope, Optional.of(config));
  }

  /** Whether this client may call a route with these names (its model and aliases). */
  public boolean mayCall(List<String> names) {
    return config.map(c -> c.mayCall(names)).orElse(true);
  }
}
