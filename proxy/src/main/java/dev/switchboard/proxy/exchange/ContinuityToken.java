package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Continuity} as one opaque string a client can keep in any field it echoes:
 * {@code sb1.<issuer tag>.<base64url JSON>}. A single provider value (a Gemini signature in
 * Google's own {@code thought_signature} field) is wrapped as {@code sb1:<issuer tag>:<value>}.
 * Anything that does not parse is treated as absent: these fields are hints, never a reason to
 * refuse a request.
 */
public final class ContinuityToken {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "sb1.";
  private static final String VALUE_PREFIX = "sb1:";

  private ContinuityToken() {}

  public static String encode(Continuity continuity) {
    ArrayNode blocks = JSON.createArrayNode();
    for (ReasoningBlock b : continuity.blocks()) {
      ArrayNode one = blocks.addArray().add(b.kind().name()).add(b.text()).add(b.opaque());
      if (!b.anchor().isEmpty()) {
        one.add(b.anchor());
      }
    }
    return PREFIX + continuity.issuer() + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(blocks.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static boolean looksLike(String token) {
    return token != null && token.startsWith(PREFIX);
  }

  public static Optional<Continuity> decode(String token) {
    if (!looksLike(token)) {
      return Optional.empty();
    }
    int dot = token.indexOf('.', PREFIX.length());
    if (dot < 0) {
      return Optional.empty();
    }
    try {
      JsonNode blocks = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
      List<ReasoningBlock> out = new ArrayList<>();
      for (JsonNode b : blocks) {
        out.add(new ReasoningBlock(ReasoningBlock.Kind.valueOf(b.path(0).asText()), b.path(1).asText(""), b.path(2).asText(""),
            b.path(3).asText("")));
      }
      return Optional.of(new Continuity(token.substring(PREFIX.length(), dot), out));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** One provider value with its issuer, for fields that hold a single opaque string. */
  public static String wrap(String issuer, String value) {
    return VALUE_PREFIX + issuer + ":" + value;
  }

  /** A value wrapped by {@link #wrap}, split into issuer tag and value. */
  public record Wrapped(String issuer, String value) {}

  /** The issuer and value of a wrapped value; a bare value has no issuer (""), as when a client made it. */
  public static Wrapped unwrap(String value) {
    if (value != null && value.startsWith(VALUE_PREFIX)) {
      int colon = value.indexOf(':', VALUE_PREFIX.length());
      if (colon > 0) {
        return new Wrapped(value.substring(VALUE_PREFIX.length(), colon), value.substring(colon + 1));
      }
    }
    return new Wrapped("", value == null ? "" : value);
  }
}
