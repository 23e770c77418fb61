package dev.switchboard.bench.clients;

import java.nio.charset.StandardCharsets;

/**
 * What goes over the wire in the client comparison: the proxy's hot path to an OpenAI-style
 * upstream. A chat request of about 400 bytes, answered with a JSON completion of about 600 bytes
 * or, when it asks for a stream, with 22 small SSE events and {@code [DONE]}.
 */
public final class Wire {
  private Wire() {}

  public static final String PATH = "/v1/chat/completions";
  public static final String AUTHORIZATION = "Bearer sk-bench-0123456789abcdefghijklmnopqrstuvwxyzABCDEF";
  public static final String USER_AGENT = "switchboard/0.1";

  private static final String REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":"
      + "\"You are a concise assistant for the Switchboard benchmark. Answer in one short sentence.\"},"
      + "{\"role\":\"user\",\"content\":\"Explain in one sentence what an LLM gateway does for a team that calls "
      + "several model providers from many services.\"}],\"temperature\":0.2,\"max_tokens\":128,"
      + "\"user\":\"bench-user-0001\",\"metadata\":{\"team\":\"bench\"},\"stream\":%s}";

  public static final byte[] CHAT_REQUEST = REQUEST.formatted("false").getBytes(StandardCharsets.UTF_8);
  public static final byte[] STREAM_REQUEST = REQUEST.formatted("true").getBytes(StandardCharsets.UTF_8);

  public static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012\",\"object\":\"chat.completion\","
      + "\"created\":1731000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"An LLM gateway gives every service one endpoint and one key for many model providers, "
      + "and handles routing, retries, rate limits, budgets and usage accounting in one place.\",\"refusal\":null,"
      + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":58,"
      + "\"completion_tokens\":36,\"total_tokens\":94,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}},\"service_tier\":\"default\","
      + "\"system_fingerprint\":\"fp_bench01\"}").getBytes(StandardCharsets.UTF_8);

  private static final String CHUNK = "{\"id\":\"chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1731000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":%s,"
      + "\"finish_reason\":%s}]}";

  /** The stream's events, each written and flushed on its own: a role, 20 tokens, a finish, [DONE]. */
  public static final byte[][] EVENTS = events();

  public static final byte[] STREAM = concat(EVENTS);

  private static byte[][] events() {
    byte[][] events = new byte[23][];
    events[0] = event(CHUNK.formatted("{\"role\":\"assistant\",\"content\":\"\"}", "null"));
    for (int i = 1; i <= 20; i++) {
      events[i] = event(CHUNK.formatted("{\"content\":\"tok" + (i < 10 ? "0" : "") + i + " \"}", "null"));
    }
    events[21] = event(CHUNK.formatted("{}", "\"stop\""));
    events[22] = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    return events;
  }

  private static byte[] event(String json) {
    return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[][] parts) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      all.writeBytes(p);
    }
    return all.toByteArray();
  }

  /** Whether a request body asks for a stream (the harness's bodies end with the flag). */
  static boolean wantsStream(byte[] body) {
    byte[] key = "\"stream\":t".getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = body.length - key.length; i >= 0 && i >= body.length - 32; i--) {
      for (int j = 0; j < key.length; j++) {
        if (body[i + j] != key[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  public static void main(String[] args) {
    System.out.println("request " + CHAT_REQUEST.length + " B, completion " + COMPLETION.length + " B, stream "
        + STREAM.length + " B in " + EVENTS.length + " events");
  }
}
