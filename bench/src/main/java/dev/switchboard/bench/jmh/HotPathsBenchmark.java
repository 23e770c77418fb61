package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.request.ChatRequest;
import dev.switchboard.proxy.request.ChatRequestParser;
import dev.switchboard.proxy.request.RequestRewriter;
import dev.switchboard.proxy.exchange.ContinuityStore;
import dev.switchboard.proxy.dialect.anthropic.AnthropicTranslator;
import dev.switchboard.proxy.dialect.responses.ResponsesRequest;
import dev.switchboard.proxy.dialect.responses.ResponsesRequestDecoder;
import dev.switchboard.proxy.dialect.responses.ResponsesStreamEncoder;
import dev.switchboard.proxy.exchange.ChatContinuity;
import dev.switchboard.proxy.exchange.StreamTranslator;
import dev.switchboard.proxy.upstream.ByteSlice;
import dev.switchboard.proxy.upstream.SseReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The proxy's per-request hot paths, without sockets: what it does to a chat request before it
 * goes upstream, to each event of a passed-through stream, to each event of a stream it
 * translates from Anthropic, and to each chunk it encodes for a Responses API client. Run with
 * {@code bench/run-jmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx192m", "-XX:+IgnoreUnrecognizedVMOptions", "--sun-misc-unsafe-memory-access=allow"})
public class HotPathsBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] REQUEST = ("{\"model\":\"chat\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
      + "{\"role\":\"user\",\"content\":\"Say hello in five words.\"}],\"temperature\":0.2,\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true}}").getBytes(StandardCharsets.UTF_8);
  private static final byte[] OPENAI_STREAM = openAiStream();
  private static final byte[] ANTHROPIC_STREAM = anthropicStream();

  /** Parse a chat request (model, stream flags, field checks) and rewrite it for the upstream model. */
  @Benchmark
  public byte[] requestParseAndRewrite() throws Exception {
    ChatRequest request = ChatRequestParser.parse(REQUEST);
    return RequestRewriter.rewrite(request, "gpt-4o-2024-08-06", List.of(), List.of());
  }

  /** Split a 20-chunk OpenAI stream into events and re-encode each (what a passed-through stream costs). */
  @Benchmark
  public void sseParseAndReencode(Blackhole hole) throws Exception {
    SseReader reader = new SseReader(new ByteArrayInputStream(OPENAI_STREAM), () -> { });
    ByteSlice event;
    while ((event = reader.next()) != null) {
      String data = SseReader.data(event);
      if (data != null) {
        hole.consume(SseReader.dataEvent(data));
      }
    }
  }

  /** Translate a 20-delta Anthropic Messages stream to OpenAI chunks, as the adapter does per event. */
  @Benchmark
  public void anthropicStreamTranslation(Blackhole hole) throws Exception {
    SseReader reader = new SseReader(new ByteArrayInputStream(ANTHROPIC_STREAM), () -> { });
    StreamTranslator translator = AnthropicTranslator.stream(true, 1731000000L, "bench/anthropic");
    List<String> out = new ArrayList<>();
    ByteSlice event;
    while ((event = reader.next()) != null) {
      String data = SseReader.data(event);
      if (data == null) {
        continue;
      }
      JsonNode json = JSON.readTree(data);
      translator.onEvent(SseReader.eventName(event), json, out);
      for (String chunk : out) {
        hole.consume(SseReader.dataEvent(chunk));
      }
      out.clear();
    }
    translator.onEnd(out);
    hole.consume(out);
  }

  private static final ResponsesRequest RESPONSES_REQUEST = responsesRequest();
  private static final byte[] TOOL_CALL_STREAM = openAiToolCallStream();

  /**
   * Encode a canonical stream (20 text deltas, then a function call whose arguments arrive in two
   * pieces, then usage) as Responses API events for a {@code /v1/responses} client, as its channel
   * does per event: the other direction of {@link #anthropicStreamTranslation}, for the surface
   * Codex and the Agents SDK use. Returns the whole Response the encoder built, as the channel
   * then stores it.
   */
  @Benchmark
  public ObjectNode responsesStreamEncoding(Blackhole hole) throws Exception {
    SseReader reader = new SseReader(new ByteArrayInputStream(TOOL_CALL_STREAM), () -> { });
    ResponsesStreamEncoder encoder = new ResponsesStreamEncoder(RESPONSES_REQUEST.id(), RESPONSES_REQUEST.model(), 1731000000L,
        RESPONSES_REQUEST.options());
    List<String> out = new ArrayList<>();
    ByteSlice event;
    while ((event = reader.next()) != null) {
      String data = SseReader.data(event);
      if (data == null || data.isBlank()) {
        continue;
      }
      if (data.trim().equals("[DONE]")) {
        break; // the upstream reader ends the stream here; the channel never sees it
      }
      encoder.chunk(data, out);
      for (String e : out) {
        hole.consume(e.getBytes(StandardCharsets.UTF_8));
      }
      out.clear();
    }
    encoder.end(out);
    for (String e : out) {
      hole.consume(e.getBytes(StandardCharsets.UTF_8));
    }
    return encoder.response();
  }

  private static final byte[] THINKING_STREAM = anthropicThinkingStream();
  private static final byte[] CONVERSATION = conversation();
  private final ChatContinuity.Source source = new ChatContinuity.Source(ContinuityStore.defaults(), "bench-client");

  /**
   * A reasoning tool-call answer from Anthropic (20 thinking deltas, a signature, a tool call),
   * translated with its continuity written into the chunks and remembered: the cost of carrying
   * reasoning to the next turn, next to {@link #anthropicStreamTranslation}.
   */
  @Benchmark
  public void anthropicThinkingToolStreamTranslation(Blackhole hole) throws Exception {
    SseReader reader = new SseReader(new ByteArrayInputStream(THINKING_STREAM), () -> { });
    StreamTranslator translator = AnthropicTranslator.stream(true, 1731000000L, "bench/anthropic", source);
    List<String> out = new ArrayList<>();
    ByteSlice event;
    while ((event = reader.next()) != null) {
      String data = SseReader.data(event);
      if (data == null) {
        continue;
      }
      translator.onEvent(SseReader.eventName(event), JSON.readTree(data), out);
      for (String chunk : out) {
        hole.consume(SseReader.dataEvent(chunk));
      }
      out.clear();
    }
    translator.onEnd(out);
    hole.consume(out);
  }

  /**
   * Parse and rewrite an 8 KB tool-loop conversation, as a passed-through agent request is (the
   * parser also notes whether a message carries continuity fields, so no separate scan runs).
   */
  @Benchmark
  public byte[] toolLoopParseAndRewrite() throws Exception {
    ChatRequest request = ChatRequestParser.parse(CONVERSATION);
    return RequestRewriter.rewrite(request, "gpt-4o-2024-08-06", List.of(), List.of());
  }

  private static byte[] conversation() {
    StringBuilder s = new StringBuilder("{\"model\":\"chat\",\"messages\":[");
    while (s.length() < 8192) {
      s.append("{\"role\":\"user\",\"content\":\"What is the weather in Paris today, and tomorrow?\"},")
          .append("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",")
          .append("\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},")
          .append("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"Sunny, 21 degrees; rain tomorrow.\"},");
    }
    s.append("{\"role\":\"user\",\"content\":\"Thanks\"}]}");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] anthropicThinkingStream() {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    event(s, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
    event(s, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}");
    for (int i = 0; i < 20; i++) {
      event(s, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"token \"}}");
    }
    event(s, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\""
        + "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds".repeat(4) + "\"}}");
    event(s, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(s, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
        + "\"id\":\"toolu_bench\",\"name\":\"get_weather\",\"input\":{}}}");
    event(s, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
        + "\"partial_json\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}");
    event(s, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
    event(s, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":40}}");
    event(s, "message_stop", "{\"type\":\"message_stop\"}");
    return s.toByteArray();
  }

  private static byte[] openAiStream() {
    String prefix = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"bench\","
        + "\"choices\":[{\"index\":0,\"delta\":";
    StringBuilder s = new StringBuilder(prefix + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
    for (int i = 0; i < 20; i++) {
      s.append(prefix).append("{\"content\":\"token \"},\"finish_reason\":null}]}\n\n");
    }
    s.append(prefix).append("{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A streamed Responses request with one function tool, decoded once: the encoder echoes its settings and tools. */
  private static ResponsesRequest responsesRequest() {
    byte[] body = ("{\"model\":\"chat\",\"input\":\"What is the weather in Paris? Say so, then check.\",\"stream\":true,"
        + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Current weather of a city\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]}")
        .getBytes(StandardCharsets.UTF_8);
    try {
      return ResponsesRequestDecoder.decode(body, id -> Optional.empty());
    } catch (Exception e) {
      throw new IllegalStateException("the benchmark's Responses request does not decode", e);
    }
  }

  /** An OpenAI chunk stream: a role chunk, 20 text deltas, a function call in three chunks, the finish and a usage chunk. */
  private static byte[] openAiToolCallStream() {
    String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"bench\",";
    String prefix = head + "\"choices\":[{\"index\":0,\"delta\":";
    StringBuilder s = new StringBuilder(prefix + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
    for (int i = 0; i < 20; i++) {
      s.append(prefix).append("{\"content\":\"token \"},\"finish_reason\":null}]}\n\n");
    }
    s.append(prefix).append("{\"tool_calls\":[{\"index\":0,\"id\":\"call_bench\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n");
    s.append(prefix).append("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},"
        + "\"finish_reason\":null}]}\n\n");
    s.append(prefix).append("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},"
        + "\"finish_reason\":null}]}\n\n");
    s.append(prefix).append("{},\"finish_reason\":\"tool_calls\"}]}\n\n");
    s.append(head).append("\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":28,\"total_tokens\":40}}\n\n");
    s.append("data: [DONE]\n\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] anthropicStream() {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    event(s, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
    event(s, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    event(s, "ping", "{\"type\":\"ping\"}");
    for (int i = 0; i < 20; i++) {
      event(s, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"token \"}}");
    }
    event(s, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(s, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":20}}");
    event(s, "message_stop", "{\"type\":\"message_stop\"}");
    return s.toByteArray();
  }

  private static void event(ByteArrayOutputStream s, String name, String json) {
    s.writeBytes(("event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
  }
}
