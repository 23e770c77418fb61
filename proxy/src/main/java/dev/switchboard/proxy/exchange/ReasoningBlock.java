package dev.switchboard.proxy.exchange;

import java.util.Objects;

/**
 * One piece of a provider's reasoning, as the provider needs it back.
 *
 * @param kind what the provider calls it
 * @param text readable reasoning (thinking text, a summary), or empty
 * @param opaque what the provider verifies (a signature, encrypted content, redacted data), or empty
 * @param anchor what it belongs to: the item id of a Responses reasoning item, the tool call id a
 *     Gemini signature rides on ("" for a text part), or empty
 */
public record ReasoningBlock(Kind kind, String text, String opaque, String anchor) {
  /** The provider's names for reasoning state. */
  public enum Kind {
    /** Anthropic {@code thinking}: text with its signature. */
    THINKING,
    /** Anthropic {@code redacted_thinking}: encrypted data only. */
    REDACTED,
    /** A Responses {@code reasoning} item: its id, summary and encrypted content. */
    ENCRYPTED,
    /** A Gemini {@code thoughtSignature} on the part named by the anchor. */
    SIGNATURE,
    /** Reasoning text that is sent back as it is (Ollama's {@code thinking}). */
    PLAIN
  }

  public ReasoningBlock {
    Objects.requireNonNull(kind, "kind");
    text = text == null ? "" : text;
    opaque = opaque == null ? "" : opaque;
    anchor = anchor == null ? "" : anchor;
  }

  public static ReasoningBlock thinking(String text, String signature) {
    return new ReasoningBlock(Kind.THINKING, text, signature, "");
  }

  public static ReasoningBlock redacted(String data) {
    return new ReasoningBlock(Kind.REDACTED, "", data, "");
  }

  public static ReasoningBlock encrypted(String itemId, String summary, String encryptedContent) {
    return new ReasoningBlock(Kind.ENCRYPTED, summary, encryptedContent, itemId);
  }

  public static ReasoningBlock signature(String anchor, String signature) {
    return new ReasoningBlock(Kind.SIGNATURE, "", signature, anchor);
  }

  public static ReasoningBlock plain(String text) {
    return new ReasoningBlock(Kind.PLAIN, text, "", "");
  }

  /** Characters held, for the store's memory bound. */
  long weight() {
    return text.length() + opaque.length() + anchor.length() + 32L;
  }
}
