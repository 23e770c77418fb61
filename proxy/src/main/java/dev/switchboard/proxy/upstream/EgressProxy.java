package dev.switchboard.proxy.upstream;

import io.helidon.webclient.api.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The egress proxy upstream calls go through, from the environment variables every container
 * tool honours and the JVM does not read by itself: {@code HTTPS_PROXY} for https:// backends,
 * {@code HTTP_PROXY} for http:// ones (lower-case names too, as curl reads them), and {@code
 * NO_PROXY} for hosts reached directly. When none is set, the JVM's own proxy properties
 * ({@code https.proxyHost}...) still apply. Pure: it reads the map it is given.
 *
 * @param url the proxy, {@code http://[user:password@]host:port}
 * @param noProxy hosts, {@code .domain} suffixes or {@code *}, from {@code NO_PROXY}
 */
public record EgressProxy(URI url, List<String> noProxy) {
  /** The proxy for backends of {@code scheme} ("http" or "https"), if the environment names one. */
  public static Optional<EgressProxy> forScheme(String scheme, Map<String, String> env) {
    String value = first(env, scheme.equals("https") ? "HTTPS_PROXY" : "HTTP_PROXY");
    if (value.isBlank()) {
      return Optional.empty();
    }
    URI url;
    try {
      url = new URI(value.contains("://") ? value : "http://" + value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException((scheme.equals("https") ? "HTTPS_PROXY" : "HTTP_PROXY")
          + " must be a URL such as http://proxy.internal:3128");
    }
    if (url.getHost() == null || !"http".equals(url.getScheme())) {
      throw new IllegalArgumentException((scheme.equals("https") ? "HTTPS_PROXY" : "HTTP_PROXY")
          + " must be an http:// proxy URL such as http://proxy.internal:3128 (https backends are tunnelled with CONNECT)");
    }
    List<String> noProxy = new ArrayList<>();
    for (String entry : first(env, "NO_PROXY").split(",")) {
      if (!entry.isBlank()) {
        noProxy.add(entry.strip());
      }
    }
    return Optional.of(new EgressProxy(url, List.copyOf(noProxy)));
  }

  private static String first(Map<String, String> env, String name) {
    String upper = env.get(name);
    return upper != null && !upper.isBlank() ? upper : env.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
  }

  /**
   * Whether {@code host} is reached directly, as curl reads NO_PROXY: {@code *} for every host, a
   * name for itself and its subdomains ({@code example.com} and {@code .example.com} alike), an
   * address for itself; ports are ignored.
   */
  public boolean bypasses(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    for (String entry : noProxy) {
      String e = entry.toLowerCase(java.util.Locale.ROOT);
      int colon = e.lastIndexOf(':');
      if (colon > 0 && e.indexOf(':') == colon) {
        e = e.substring(0, colon); // host:port; the port is not compared
      }
      if (e.equals("*")) {
        return true;
      }
      String bare = e.startsWith(".") ? e.substring(1) : e;
      if (h.equals(bare) || h.endsWith("." + bare)) {
        return true;
      }
    }
    return false;
  }

  /** Helidon's proxy for it: HTTP, with CONNECT for https backends, credentials from the URL. */
  public Proxy helidon() {
    Proxy.Builder b = Proxy.builder().type(Proxy.ProxyType.HTTP).host(url.getHost()).port(url.getPort() > 0 ? url.getPort() : 80);
    String info = url.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      b.username(decode(colon < 0 ? info : info.substring(0, colon)));
      if (colon >= 0) {
        b.password(decode(info.substring(colon + 1)).toCharArray());
      }
    }
    return b.build();
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** For the startup log: the proxy without its credentials. */
  public String describe() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
        + (noProxy.isEmpty() ? "" : " (NO_PROXY " + String.join(",", noProxy) + ")");
  }
}
