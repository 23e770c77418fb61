package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.MockConfig;
import dev.switchboard.config.ModelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The in-process {@code mock} provider: answers without a network, echoing the last user message
 * (or a fixed reply) word by word, after an optional think time and with optional pacing and
 * injected failures, all from the backend's spec. Used for smoke tests, demos, and load tests of
 * the gateway itself.
 */
public final class MockAdapter implements ProviderAdapter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GREETING = "Hello from the Switchboard mock backend.";

  @Override
  public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
    BackendConfig backend = call.backend();
    MockConfig mock = backend.mock().orElse(MockConfig.DEFAULTS);
    ObjectNode request = call.requestTree();
    if (request.path("n").asInt(1) != 1) {
      throw UpstreamException.unsupported("n", "The mock provider answers n=1 only (backend " + backend.id() + ").");
    }
    if (mock.failurePercent() > 0 && ThreadLocalRandom.current().nextInt(100) < mock.failurePercent()) {
      sleep(mock.latency());
      throw new UpstreamException(UpstreamException.Kind.HTTP, mock.failureStatus(),
          "the mock backend injected a failure (backend " + backend.id() + ", HTTP " + mock.failureStatus() + ")",
          mock.failureStatus() == 429 ? "rate_limit_error" : "server_error", "mock_failure", "",
          mock.failureStatus() == 429 ? Duration.ofMillis(100) : null);
    }
    String reply = mock.response().isEmpty() ? lastUserText(request) : mock.response();
    // The echoed words and the answer written from them are held like any upstream answer.
    call.reserve(reply.length() * 3L);
    List<String> words = words(reply);
    long limit = request.path("max_completion_tokens").asLong(request.path("max_tokens").asLong(Long.MAX_VALUE));
    String finish = "stop";
    if (words.size() > limit) {
      words = words.subList(0, (int) limit);
      finish = "length";
    }
    Usage usage = new Usage(promptTokens(request), words.size(), 0);
    Answer answer = new Answer("chatcmpl-mock-" + Long.toHexString(ThreadLocalRandom.current().nextLong()),
        System.currentTimeMillis() / 1000, call.upstreamModel(), words, finish, usage);
    if (call.request().stream()) {
      return new MockStream(answer, mock, call.request().includeUsage());
    }
    sleep(mock.latency());
    return new Completion(answer.completion(), usage);
  }

  /** Deterministic vectors (the same text always gives the same vector), for smoke tests of embedding routes. */
  @Override
  public UpstreamResponse embed(UpstreamCall call) throws UpstreamException {
    ObjectNode request = call.requestTree();
    java.util.List<String> texts = dev.switchboard.proxy.dialect.EmbeddingsTranslator.texts(request, "mock");
    int dimensions = request.path("dimensions").asInt(8);
    java.util.List<JsonNode> vectors = new java.util.ArrayList<>();
    long tokens = 0;
    for (String text : texts) {
      java.util.Random random = new java.util.Random(text.hashCode());
      com.fasterxml.jackson.databind.node.ArrayNode vector = JSON.createArrayNode();
      for (int i = 0; i < dimensions; i++) {
        vector.add(Math.round((random.nextDouble() * 2 - 1) * 1e6) / 1e6);
      }
      vectors.add(vector);
      tokens += words(text).size();
    }
    Usage usage = new Usage(tokens, 0, 0);
    return new Completion(dev.switchboard.proxy.dialect.EmbeddingsTranslator.list(vectors, call.upstreamModel(),
        "base64".equals(request.path("encoding_format").asText("")), usage), usage);
  }

  @Override
  public ProbeResult probe(BackendConfig backend) {
    return ProbeResult.ok(0, backend.models().stream().map(ModelConfig::upstreamName).toList());
  }

  private static String lastUserText(ObjectNode request) {
    JsonNode messages = request.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        String text = text(message.path("content"));
        return text.isBlank() ? GREETING : text;
      }
    }
    return GREETING;
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        if (!out.isEmpty()) {
          out.append(' ');
        }
        out.append(part.path("text").asText());
      }
    }
    return out.toString();
  }

  private static long promptTokens(ObjectNode request) {
    long count = 0;
    for (JsonNode message : request.path("messages")) {
      count += words(text(message.path("content"))).size() + 3;
    }
    return count;
  }

  /** Words with their following space, so that joining them gives back the text. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i)) && (i + 1 == text.length() || !Character.isWhitespace(text.charAt(i + 1)))) {
        out.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  static void sleep(Duration d) {
    if (!d.isZero()) {
      try {
        Thread.sleep(d);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private record Answer(String id, long created, String model, List<String> words, String finish, Usage usage) {
    byte[] completion() {
      ObjectNode root = base("chat.completion");
      ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", String.join("", words)).putNull("refusal");
      choice.putNull("logprobs");
      choice.put("finish_reason", finish);
      usageInto(root.putObject("usage"));
      return bytes(root);
    }

    ObjectNode chunk(ObjectNode delta, String finishReason) {
      ObjectNode root = base("chat.completion.chunk");
      ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      if (finishReason == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finishReason);
      }
      return root;
    }

    ObjectNode usageChunk() {
      ObjectNode root = base("chat.completion.chunk");
      root.putArray("choices");
      usageInto(root.putObject("usage"));
      return root;
    }

    private ObjectNode base(String object) {
      ObjectNode root = JSON.createObjectNode();
      root.put("id", id).put("object", object).put("created", created).put("model", model);
      root.put("system_fingerprint", "switchboard-mock");
      return root;
    }

    private void usageInto(ObjectNode node) {
      node.put("prompt_tokens", usage.promptTokens())
          .put("completion_tokens", usage.completionTokens())
          .put("total_tokens", usage.totalTokens());
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Produces the answer's chunks lazily, sleeping where the spec asks for pacing. */
  private static final class MockStream implements ChatStream {
    private final Answer answer;
    private final MockConfig mock;
    private final boolean includeUsage;
    private int step = -1;

    MockStream(Answer answer, MockConfig mock, boolean includeUsage) {
      this.answer = answer;
      this.mock = mock;
      this.includeUsage = includeUsage;
    }

    @Override
    public ByteSlice next() {
      step++;
      int words = answer.words().size();
      ObjectNode event;
      if (step == 0) {
        sleep(mock.latency());
        event = answer.chunk(JSON.createObjectNode().put("role", "assistant").put("content", ""), null);
      } else if (step <= words) {
        sleep(mock.chunkDelay());
        event = answer.chunk(JSON.createObjectNode().put("content", answer.words().get(step - 1)), null);
      } else if (step == words + 1) {
        event = answer.chunk(JSON.createObjectNode(), answer.finish());
      } else if (step == words + 2 && includeUsage) {
        event = answer.usageChunk();
      } else {
        return null;
      }
      return ByteSlice.of(SseReader.dataEvent(new String(bytes(event), java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public Usage usage() {
      return step > answer.words().size() ? answer.usage() : Usage.NONE;
    }

    @Override
    public void close() {
      // nothing to release
    }
  }

}
