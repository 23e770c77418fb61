package dev.switchboard.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ToolNamesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode request(String... names) throws Exception {
    ObjectNode r = JSON.createObjectNode();
    for (String n : names) {
      r.withArray("tools").addObject().put("type", "function").putObject("function").put("name", n);
    }
    return r;
  }

  @Test
  void namesAProviderAcceptsPassAsTheyAre() throws Exception {
    ToolNames names = ToolNames.of(request("get_weather", "exec-command", "agents__spawn"), ToolNames.ANTHROPIC);
    assertThat(names).isSameAs(ToolNames.IDENTITY);
    assertThat(names.upstream("get_weather")).isEqualTo("get_weather");
  }

  @Test
  void refusedNamesMapToAcceptedUniqueNamesAndBack() throws Exception {
    String longName = "mcp__" + "x".repeat(200);
    ObjectNode r = request("github.create_issue", "github_create_issue", "fs/read file", longName);
    r.putObject("tool_choice").put("type", "function").putObject("function").put("name", "github.create_issue");
    r.withArray("messages").addObject().put("role", "assistant").withArray("tool_calls").addObject()
        .put("id", "call_1").putObject("function").put("name", "fs/read file").put("arguments", "{}");
    ToolNames names = ToolNames.of(r, ToolNames.ANTHROPIC);

    String dotted = names.upstream("github.create_issue");
    assertThat(dotted).matches("github_create_issue_[0-9a-f]{8}").isNotEqualTo("github_create_issue");
    assertThat(names.upstream("github_create_issue")).as("a name the client wrote is never taken").isEqualTo("github_create_issue");
    assertThat(names.upstream(longName)).hasSizeBetween(120, 128).matches("[a-zA-Z0-9_-]{1,128}");
    assertThat(names.client(dotted)).isEqualTo("github.create_issue");
    assertThat(names.client(names.upstream(longName))).isEqualTo(longName);
    assertThat(names.client("something_else")).isEqualTo("something_else");
    assertThat(ToolNames.of(request("github.create_issue"), ToolNames.ANTHROPIC).upstream("github.create_issue"))
        .as("the same on every turn and replica: no state").isEqualTo(dotted);

    names.applyTo(r);
    assertThat(r.path("tools").get(0).path("function").path("name").asText()).isEqualTo(dotted);
    assertThat(r.path("tool_choice").path("function").path("name").asText()).isEqualTo(dotted);
    assertThat(r.path("messages").get(0).path("tool_calls").get(0).path("function").path("name").asText())
        .isEqualTo(names.upstream("fs/read file")).matches("fs_read_file_[0-9a-f]{8}");
  }

  @Test
  void geminiKeepsDotsAndNeedsALetterOrUnderscoreFirst() throws Exception {
    ToolNames names = ToolNames.of(request("github.create_issue", "7zip", "x".repeat(70)), ToolNames.GEMINI);
    assertThat(names.upstream("github.create_issue")).isEqualTo("github.create_issue");
    assertThat(names.upstream("7zip")).matches("_7zip_[0-9a-f]{8}");
    assertThat(names.upstream("x".repeat(70))).hasSizeLessThanOrEqualTo(64).matches("[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}");
  }
}
