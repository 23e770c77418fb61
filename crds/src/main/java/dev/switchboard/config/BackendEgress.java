package dev.switchboard.config;

/**
 * A backend's own egress proxy, which overrides the proxy pods' HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
 *
 * @param direct true to connect without any proxy
 * @param url the proxy, {@code http://host:port}; empty when {@code direct}
 * @param username the proxy login from the referenced Secret, or empty
 * @param password its password, or empty
 */
public record BackendEgress(boolean direct, String url, String username, SecretValue password) {
  public BackendEgress {
    url = url == null ? "" : url;
    username = username == null ? "" : username;
    password = password == null ? SecretValue.empty() : password;
  }

  public static BackendEgress directly() {
    return new BackendEgress(true, "", "", SecretValue.empty());
  }
}
