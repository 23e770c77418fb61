package dev.switchboard.proxy.dialect.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.ContinuityToken;
import dev.switchboard.proxy.request.ChatRequestParser;
import dev.switchboard.proxy.request.InvalidRequestException;
import dev.switchboard.proxy.request.TopLevelField;
import dev.switchboard.proxy.request.Utf8Bodies;
import dev.switchboard.proxy.exchange.ChatContinuity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an Anthropic Messages request: validates it as Anthropic's API does (same rules, same
 * wording, so clients and people recognise the errors) and decodes it into the canonical chat
 * shape. What the canonical shape cannot carry is named: hints and offers are dropped on
 * translated routes, and only a request that forces such a feature is refused there.
 */
public final class MessagesRequestDecoder {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final com.fasterxml.jackson.databind.ObjectReader STRICT = JSON.reader()
      .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** Top-level fields the canonical shape carries, or that only shape the request. */
  private static final Set<String> MODELLED = Set.of("model", "max_tokens", "messages", "system", "tools", "tool_choice",
      "stop_sequences", "temperature", "top_p", "top_k", "thinking", "metadata", "stream", "output_config");
  /** Block types Anthropic defines in messages; server-tool blocks pass through to Anthropic only. */
  static final Set<String> BLOCK_TYPES = Set.of("text", "image", "document", "search_result", "tool_use", "tool_result",
      "thinking", "redacted_thinking", "server_tool_use", "web_search_tool_result", "web_fetch_tool_result",
      "code_execution_tool_result", "bash_code_execution_tool_result", "text_editor_code_execution_tool_result",
      "tool_search_tool_result", "mcp_tool_use", "mcp_tool_result", "container_upload", "tool_reference");

  private final Set<String> dropped = new LinkedHashSet<>();
  private final Set<String> serverTools = new LinkedHashSet<>();
  private boolean foreignContinuity;
  private Optional<String> refusal = Optional.empty();

  private MessagesRequestDecoder() {}

  public static MessagesRequest decode(byte[] body) throws InvalidRequestException {
    return new MessagesRequestDecoder().read(body);
  }

  private MessagesRequest read(byte[] body) throws InvalidRequestException {
    if (body.length == 0) {
      throw new InvalidRequestException("", "There was an error parsing the body of your request: it is empty.");
    }
    Utf8Bodies.check(body);
    List<TopLevelField> fields = new ArrayList<>();
    JsonNode root;
    try {
      root = STRICT.readTree(body);
      try (JsonParser p = FACTORY.createParser(body)) {
        if (p.nextToken() == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int start = (int) p.currentTokenLocation().getByteOffset();
            p.nextToken();
            int valueStart = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            p.finishToken(); // a string is read lazily: its end is known only once it is read
            fields.add(new TopLevelField(name, start, valueStart, (int) p.currentLocation().getByteOffset()));
          }
        }
      }
    } catch (IOException e) {
      throw new InvalidRequestException("", "There was an error parsing the body of your request: it is not valid JSON.");
    }
    if (!(root instanceof ObjectNode request)) {
      throw new InvalidRequestException("", "There was an error parsing the body of your request: it must be a JSON object.");
    }
    MessagesValidation.check(request);
    ObjectNode canonical = JSON.createObjectNode();
    canonical.put("model", request.get("model").asText());
    ArrayNode messages = canonical.putArray("messages");
    system(request.get("system"), messages);
    JsonNode in = request.get("messages");
    for (int i = 0; i < in.size(); i++) {
      message(in.get(i), messages);
    }
    // max_completion_tokens: OpenAI's reasoning models refuse max_tokens, and every codec reads both.
    canonical.put("max_completion_tokens", request.get("max_tokens").asInt());
    boolean stream = request.path("stream").asBoolean(false);
    if (stream) {
      canonical.put("stream", true);
      canonical.putObject("stream_options").put("include_usage", true);
    }
    copy(request, canonical, "temperature", "temperature");
    copy(request, canonical, "top_p", "top_p");
    if (request.hasNonNull("stop_sequences") && !request.get("stop_sequences").isEmpty()) {
      canonical.set("stop", request.get("stop_sequences"));
    }
    if (request.hasNonNull("top_k")) {
      dropped.add("top_k");
    }
    if (request.path("metadata").hasNonNull("user_id")) {
      canonical.put("user", request.path("metadata").path("user_id").asText());
    }
    tools(request, canonical);
    thinking(request, canonical);
    request.fieldNames().forEachRemaining(name -> {
      if (!MODELLED.contains(name)) {
        dropped.add(name); // context_management, container, mcp_servers, service_tier, future betas
      }
    });
    byte[] canonicalBytes = canonical.toString().getBytes(StandardCharsets.UTF_8);
    return new MessagesRequest(body, fields, ChatRequestParser.parse(canonicalBytes), List.copyOf(dropped), refusal,
        !foreignContinuity, "", "", false);
  }

  private void system(JsonNode system, ArrayNode messages) {
    if (system == null || system.isNull()) {
      return;
    }
    String text = text(system);
    if (!text.isEmpty()) {
      messages.addObject().put("role", "system").put("content", text);
    }
  }

  /** The text of a string or of text blocks; cache control on them is a hint. */
  private String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode block : content) {
      noteCacheControl(block);
      if ("text".equals(block.path("type").asText())) {
        if (!out.isEmpty()) {
          out.append("\n\n");
        }
        out.append(block.path("text").asText());
      }
    }
    return out.toString();
  }

  private void message(JsonNode m, ArrayNode messages) {
    String role = m.path("role").asText();
    JsonNode content = m.get("content");
    if (role.equals("system")) {
      // Claude Code sends mid-conversation instructions this way to non-Claude models.
      messages.addObject().put("role", "system").put("content", text(content));
      return;
    }
    if (content.isTextual()) {
      messages.addObject().put("role", role).put("content", content.asText());
      return;
    }
    if (role.equals("assistant")) {
      assistant(content, messages);
    } else {
      user(content, messages);
    }
  }

  private void user(JsonNode blocks, ArrayNode messages) {
    ArrayNode parts = JSON.createArrayNode();
    ArrayNode toolImages = JSON.createArrayNode();
    for (JsonNode block : blocks) {
      noteCacheControl(block);
      switch (block.path("type").asText()) {
        case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
        case "image" -> parts.add(image(block));
        case "document" -> document(block, parts);
        case "search_result" -> parts.addObject().put("type", "text").put("text", searchResult(block));
        case "tool_result" -> {
          ObjectNode tool = messages.addObject().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asText());
          StringBuilder text = new StringBuilder(block.path("is_error").asBoolean(false) ? "Error: " : "");
          JsonNode c = block.path("content");
          if (c.isTextual()) {
            text.append(c.asText());
          } else {
            for (JsonNode part : c) {
              noteCacheControl(part);
              switch (part.path("type").asText()) {
                case "text" -> text.append(text.isEmpty() || text.toString().equals("Error: ") ? "" : "\n").append(part.path("text").asText());
                case "image" -> toolImages.add(image(part));
                case "document" -> document(part, toolImages);
                case "search_result" -> text.append(searchResult(part));
                default -> dropped.add("tool_result content " + part.path("type").asText());
              }
            }
          }
          tool.put("content", text.toString());
        }
        default -> dropped.add(block.path("type").asText() + " blocks");
      }
    }
    if (!toolImages.isEmpty()) {
      // Tool messages carry text only in the canonical shape; the images follow as the user's.
      ArrayNode all = JSON.createArrayNode();
      all.addObject().put("type", "text").put("text", "(images returned by the tool calls above)");
      all.addAll(toolImages);
      all.addAll(parts);
      parts = all;
    }
    if (!parts.isEmpty()) {
      messages.addObject().put("role", "user").set("content", parts);
    }
  }

  private void assistant(JsonNode blocks, ArrayNode messages) {
    ObjectNode message = JSON.createObjectNode().put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode calls = JSON.createArrayNode();
    ArrayNode details = JSON.createArrayNode();
    StringBuilder reasoning = new StringBuilder();
    for (JsonNode block : blocks) {
      noteCacheControl(block);
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" -> {
          ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
          call.putObject("function").put("name", block.path("name").asText())
              .put("arguments", block.path("input").isObject() ? block.path("input").toString() : "{}");
        }
        case "thinking" -> {
          String signature = block.path("signature").asText("");
          if (!block.path("thinking").asText("").isEmpty() && (signature.isEmpty() || ContinuityToken.looksLike(signature))) {
            // Reasoning a translated backend wrote: servers such as DeepSeek want it back as reasoning_content.
            reasoning.append(block.path("thinking").asText());
          }
          if (ContinuityToken.looksLike(signature)) {
            // Issued by a translated backend: the canonical carrier brings it back to that backend's codec.
            details.addObject().put("type", "reasoning.encrypted").put("data", signature)
                .put("format", ChatContinuity.FORMAT).put("index", details.size());
            foreignContinuity = true;
          }
          // An Anthropic signature means nothing to other providers; Anthropic backends get the original bytes.
        }
        case "redacted_thinking" -> {
          // Anthropic's own encrypted reasoning: kept in pass-through, useless elsewhere.
        }
        default -> dropped.add(block.path("type").asText() + " blocks");
      }
    }
    if (text.isEmpty() && calls.isEmpty() && details.isEmpty() && reasoning.isEmpty()) {
      return;
    }
    if (text.isEmpty() && !calls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    if (!details.isEmpty()) {
      message.set("reasoning_details", details);
    }
    if (!reasoning.isEmpty()) {
      message.put("reasoning_content", reasoning.toString());
    }
    messages.add(message);
  }

  private static ObjectNode image(JsonNode block) {
    JsonNode source = block.path("source");
    String url = switch (source.path("type").asText()) {
      case "base64" -> "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText();
      default -> source.path("url").asText();
    };
    ObjectNode part = JSON.createObjectNode().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  private void document(JsonNode block, ArrayNode parts) {
    JsonNode source = block.path("source");
    String title = block.path("title").asText("");
    switch (source.path("type").asText()) {
      case "text" -> parts.addObject().put("type", "text")
          .put("text", (title.isEmpty() ? "" : title + "\n\n") + source.path("data").asText());
      case "content" -> parts.addObject().put("type", "text").put("text", (title.isEmpty() ? "" : title + "\n\n") + text(source.path("content")));
      case "base64" -> {
        ObjectNode file = parts.addObject().put("type", "file").putObject("file");
        file.put("file_data", "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText());
        file.put("filename", title.isEmpty() ? "document.pdf" : title);
      }
      default -> refuse("documents given by " + source.path("type").asText() + " (send them as base64 or text)");
    }
  }

  private static String searchResult(JsonNode block) {
    StringBuilder out = new StringBuilder(block.path("title").asText(""));
    if (block.hasNonNull("source")) {
      out.append(" (").append(block.path("source").asText()).append(')');
    }
    for (JsonNode c : block.path("content")) {
      out.append('\n').append(c.path("text").asText());
    }
    return out.toString();
  }

  private void tools(ObjectNode request, ObjectNode canonical) {
    JsonNode tools = request.get("tools");
    if (tools != null && !tools.isNull()) {
      ArrayNode out = JSON.createArrayNode();
      for (JsonNode tool : tools) {
        noteCacheControl(tool);
        String type = tool.path("type").asText("custom");
        if (!type.equals("custom") || !tool.has("input_schema")) {
          serverTools.add(tool.path("name").asText(type));
          dropped.add("tool " + tool.path("name").asText(type) + " (" + type + ")");
          continue;
        }
        if (tool.path("defer_loading").asBoolean(false)) {
          dropped.add("defer_loading");
        }
        ObjectNode function = out.addObject().put("type", "function").putObject("function");
        function.put("name", tool.path("name").asText());
        if (tool.hasNonNull("description")) {
          function.put("description", tool.get("description").asText());
        }
        function.set("parameters", tool.get("input_schema"));
      }
      if (!out.isEmpty()) {
        canonical.set("tools", out);
      }
    }
    JsonNode choice = request.get("tool_choice");
    if (choice == null || choice.isNull()) {
      return;
    }
    boolean anyTools = canonical.has("tools");
    switch (choice.path("type").asText()) {
      case "auto" -> {
        if (anyTools) {
          canonical.put("tool_choice", "auto");
        }
      }
      case "any" -> {
        if (anyTools) {
          canonical.put("tool_choice", "required");
        } else {
          refuse("tool_choice 'any' when every tool offered is a server tool");
        }
      }
      case "none" -> {
        if (anyTools) {
          canonical.put("tool_choice", "none");
        }
      }
      case "tool" -> {
        String name = choice.path("name").asText();
        if (serverTools.contains(name)) {
          refuse("tool_choice forcing the server tool '" + name + "'");
        } else {
          canonical.putObject("tool_choice").put("type", "function").putObject("function").put("name", name);
        }
      }
      default -> {
        // validated before
      }
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false) && anyTools) {
      canonical.put("parallel_tool_calls", false);
    }
  }

  /**
   * {@code thinking: enabled} asks for reasoning with a budget: it becomes the canonical effort.
   * {@code adaptive} (and {@code output_config.effort}) leave the amount to the model, which is
   * what a backend does by default, so they are not sent: a model without reasoning would refuse them.
   */
  private void thinking(ObjectNode request, ObjectNode canonical) {
    JsonNode thinking = request.get("thinking");
    if (request.has("output_config")) {
      dropped.add("output_config");
    }
    if (thinking == null || thinking.isNull()) {
      return;
    }
    switch (thinking.path("type").asText()) {
      case "enabled" -> {
        int budget = thinking.path("budget_tokens").asInt();
        canonical.put("reasoning_effort", budget < 4096 ? "low" : budget < 16384 ? "medium" : "high");
      }
      case "adaptive" -> dropped.add("thinking.adaptive");
      default -> {
        // disabled: the canonical default
      }
    }
  }

  private void noteCacheControl(JsonNode block) {
    if (block.has("cache_control")) {
      dropped.add("cache_control");
    }
  }

  private void refuse(String what) {
    if (refusal.isEmpty()) {
      refusal = Optional.of(what);
    }
  }

  private static void copy(JsonNode from, ObjectNode to, String name, String as) {
    if (from.hasNonNull(name)) {
      to.set(as, from.get(name));
    }
  }
}
