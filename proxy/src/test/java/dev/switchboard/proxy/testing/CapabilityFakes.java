package dev.switchboard.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI-compatible servers for capability checks, each with at most one flaw: streams answer the
 * checks (a forced tool call, usage when asked), whole answers name the server, so a test sees
 * which target a request landed on.
 */
public final class CapabilityFakes {
  private static final ObjectMapper JSON = new ObjectMapper();

  public enum Flaw { NONE, TEXT_FOR_TOOLS, BAD_ARGUMENTS, NO_STREAM_USAGE }

  private CapabilityFakes() {}

  public static FakeUpstream.Behaviour server(String name, Flaw flaw) {
    return (req, res, r) -> {
      JsonNode body = JSON.readTree(r.body());
      if (!body.path("stream").asBoolean()) {
        res.status(200).header(HeaderNames.CONTENT_TYPE, "application/json").send(Wire.completion("from " + name));
        return;
      }
      List<String> frames = new ArrayList<>();
      frames.add(Wire.roleChunk());
      if (body.has("tools")) {
        switch (flaw) {
          case TEXT_FOR_TOOLS -> frames.add(Wire.chunk("I would rather not call tools."));
          case BAD_ARGUMENTS -> frames.add(toolCall("{city: Paris"));
          default -> frames.add(toolCall("{\\\"city\\\":\\\"Paris\\\"}"));
        }
        frames.add(Wire.finishChunk(flaw == Flaw.TEXT_FOR_TOOLS ? "stop" : "tool_calls"));
      } else {
        frames.add(Wire.chunk("OK"));
        frames.add(Wire.finishChunk("stop"));
      }
      if (body.path("stream_options").path("include_usage").asBoolean() && flaw != Flaw.NO_STREAM_USAGE) {
        frames.add(Wire.usageChunk(9, 2));
      }
      frames.add(Wire.done());
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
      try (OutputStream out = res.outputStream()) {
        for (String f : frames) {
          out.write(f.getBytes(StandardCharsets.UTF_8));
        }
      }
    };
  }

  private static String toolCall(String arguments) {
    return "data: {\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"" + arguments + "\"}}]},\"finish_reason\":null}]}\n\n";
  }
}
