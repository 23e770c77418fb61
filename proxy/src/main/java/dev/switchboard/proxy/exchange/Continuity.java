package dev.switchboard.proxy.exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What one assistant turn must carry into the next: the provider's reasoning blocks, in the
 * order the provider gave them, and the backend that issued them (as a short tag, so the tag
 * can travel in client-visible fields without naming the backend).
 */
public record Continuity(String issuer, List<ReasoningBlock> blocks) {
  public static final Continuity NONE = new Continuity("", List.of());

  public Continuity {
    issuer = issuer == null ? "" : issuer;
    blocks = List.copyOf(blocks);
  }

  public static Continuity of(String backendId, List<ReasoningBlock> blocks) {
    return new Continuity(tag(backendId), blocks);
  }

  /** The tag of a backend id: 12 hex digits of its SHA-256. */
  public static String tag(String backendId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(backendId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether this backend issued it: data from any other backend is never sent to it. */
  public boolean issuedBy(String backendId) {
    return !issuer.isEmpty() && issuer.equals(tag(backendId));
  }

  /** These blocks if {@code backendId} issued them, otherwise none. */
  public Continuity forBackend(String backendId) {
    return issuedBy(backendId) ? this : NONE;
  }

  public List<ReasoningBlock> of(ReasoningBlock.Kind kind) {
    return blocks.stream().filter(b -> b.kind() == kind).toList();
  }

  /** The Gemini signature on the part {@code anchor} names. */
  public Optional<String> signature(String anchor) {
    return blocks.stream().filter(b -> b.kind() == ReasoningBlock.Kind.SIGNATURE && b.anchor().equals(anchor))
        .map(ReasoningBlock::opaque).findFirst();
  }

  /** Characters held, for the store's memory bound. */
  public long weight() {
    long w = 64 + issuer.length();
    for (ReasoningBlock b : blocks) {
      w += b.weight();
    }
    return w;
  }
}
