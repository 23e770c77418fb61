package dev.switchboard.proxy.capability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.v1alpha1.Capability;
import dev.switchboard.proxy.request.ChatRequestParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityProbeTest {
  private static String completion(String content) {
    return "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + content + "}}]}";
  }

  @Test
  void everyProbeIsARequestTheProxyItselfAccepts() throws Exception {
    for (Capability c : Capability.values()) {
      var request = ChatRequestParser.parse(CapabilityProbe.request(c));
      assertThat(request.stream()).as(c.wireName()).isEqualTo(CapabilityProbe.streamed(c));
      assertThat(CapabilityNeeds.of(request)).as("the probe for %s needs it", c).contains(c);
    }
  }

  @Test
  void jsonModeNeedsJsonThatMatchesTheSchema() {
    assertThat(CapabilityProbe.judgeCompletion(Capability.JSON_MODE, completion("\"{\\\"capital\\\":\\\"Paris\\\"}\"").getBytes(StandardCharsets.UTF_8))
        .verified()).isTrue();
    assertThat(CapabilityProbe.judgeCompletion(Capability.JSON_MODE, completion("\"Paris\"").getBytes(StandardCharsets.UTF_8)).reason())
        .isEqualTo("NotJson");
    assertThat(CapabilityProbe.judgeCompletion(Capability.JSON_MODE, completion("\"{\\\"city\\\":1}\"").getBytes(StandardCharsets.UTF_8))
        .reason()).isEqualTo("SchemaMismatch");
  }

  @Test
  void streamsAreJudgedFromTheirChunks() {
    String call = "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}}]}";
    String rest = "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Paris\\\"}\"}}]}}]}";
    assertThat(CapabilityProbe.judgeStream(Capability.TOOLS, List.of(call, rest)).verified()).as("arguments split over chunks").isTrue();
    assertThat(CapabilityProbe.judgeStream(Capability.TOOLS, List.of(call)).reason()).isEqualTo("InvalidArguments");
    assertThat(CapabilityProbe.judgeStream(Capability.STREAM_USAGE, List.of("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}"))
        .verified()).isTrue();
    assertThat(CapabilityProbe.judgeStream(Capability.STREAM_USAGE, List.of("{\"choices\":[],\"usage\":null}")).reason()).isEqualTo("NoUsage");
  }

  @Test
  void needsAreReadFromTheRequest() throws Exception {
    assertThat(CapabilityNeeds.of(ChatRequestParser.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[]}".getBytes(StandardCharsets.UTF_8))))
        .as("an empty tools list needs nothing").isEmpty();
    assertThat(CapabilityNeeds.of(ChatRequestParser.parse(
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"send an image_url\"}]}".getBytes(StandardCharsets.UTF_8))))
        .as("a word in text is not an image, and a stream without include_usage needs no usage").isEmpty();
  }
}
