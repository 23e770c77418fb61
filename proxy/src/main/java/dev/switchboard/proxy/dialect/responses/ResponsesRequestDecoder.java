package dev.switchboard.proxy.dialect.responses;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.ChatContinuity;
import dev.switchboard.proxy.exchange.ContinuityToken;
import dev.switchboard.proxy.request.ChatRequestParser;
import dev.switchboard.proxy.request.InvalidRequestException;
import dev.switchboard.proxy.request.TopLevelField;
import dev.switchboard.proxy.request.Utf8Bodies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a Responses API request: validates it as OpenAI does ({@link ResponsesValidation}) and
 * decodes it, with the stored conversation it continues, into the canonical chat shape. Input
 * items become messages: consecutive reasoning, assistant message and function-call items form
 * one assistant turn; function-call outputs become tool messages. What the canonical shape cannot
 * carry is named; only a forced built-in tool is refused, and only on translated routes.
 */
public final class ResponsesRequestDecoder {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  /** Request fields the canonical shape carries or the surface acts on; the rest is a hint on translated routes. */
  private static final Set<String> MODELLED = Set.of("model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls",
      "reasoning", "text", "max_output_tokens", "temperature", "top_p", "store", "previous_response_id", "include", "metadata",
      "stream", "user", "truncation", "stream_options", "background");

  /** {@code previous_response_id} names nothing this client may continue. */
  public static final class UnknownResponse extends Exception {
    private final String id;

    public UnknownResponse(String id) {
      super("Previous response with id '" + id + "' not found.", null, false, false);
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  private final Set<String> dropped = new LinkedHashSet<>();
  private final Set<String> builtIns = new LinkedHashSet<>();
  private boolean foreignContinuity;
  private Optional<String> refusal = Optional.empty();

  private ResponsesRequestDecoder() {}

  /**
   * @param history the canonical messages of a stored response by id, for {@code previous_response_id}
   */
  public static ResponsesRequest decode(byte[] body, Function<String, Optional<ResponsesRequest.Prior>> history)
      throws InvalidRequestException, UnknownResponse {
    return new ResponsesRequestDecoder().read(body, history);
  }

  private ResponsesRequest read(byte[] body, Function<String, Optional<ResponsesRequest.Prior>> history)
      throws InvalidRequestException, UnknownResponse {
    if (body.length == 0) {
      throw new InvalidRequestException("", "The request body is empty: send a JSON object with model and input.");
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
      throw new InvalidRequestException("", "We could not parse the JSON body of your request. (HINT: This likely means you aren't using"
          + " your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");
    }
    if (!(root instanceof ObjectNode request)) {
      throw new InvalidRequestException("", "The request body must be a JSON object.");
    }
    ResponsesValidation.check(request);
    Optional<String> previous = Optional.ofNullable(request.get("previous_response_id")).filter(JsonNode::isTextual).map(JsonNode::asText);
    ArrayNode prior = JSON.createArrayNode();
    Optional<ResponsesRequest.Native> held = Optional.empty();
    if (previous.isPresent()) {
      ResponsesRequest.Prior found = history.apply(previous.get()).orElseThrow(() -> new UnknownResponse(previous.get()));
      prior = found.history();
      held = found.held();
    }
    ObjectNode canonical = JSON.createObjectNode();
    canonical.put("model", request.get("model").asText());
    ArrayNode messages = canonical.putArray("messages");
    if (request.hasNonNull("instructions")) {
      messages.addObject().put("role", "system").put("content", request.get("instructions").asText());
    }
    ArrayNode items = items(request.get("input"));
    ArrayNode conversation = prior.deepCopy();
    conversation.addAll(turn(items));
    pairCalls(conversation);
    messages.addAll(conversation);
    boolean stream = request.path("stream").asBoolean(false);
    if (stream) {
      canonical.put("stream", true);
      canonical.putObject("stream_options").put("include_usage", true);
    }
    copy(request, canonical, "temperature", "temperature");
    copy(request, canonical, "top_p", "top_p");
    copy(request, canonical, "max_output_tokens", "max_completion_tokens");
    copy(request, canonical, "parallel_tool_calls", "parallel_tool_calls");
    copy(request, canonical, "user", "user");
    if (request.path("reasoning").hasNonNull("effort")) {
      canonical.put("reasoning_effort", request.path("reasoning").path("effort").asText());
    }
    text(request.get("text"), canonical);
    tools(request, canonical);
    request.fieldNames().forEachRemaining(name -> {
      if (!MODELLED.contains(name)) {
        dropped.add(name); // prompt_cache_key, client_metadata, service_tier, safety_identifier, prompt...
      }
    });
    if (request.path("reasoning").hasNonNull("summary")) {
      dropped.add("reasoning.summary");
    }
    boolean store = request.path("store").asBoolean(true);
    boolean include = false;
    for (JsonNode i : request.path("include")) {
      include |= "reasoning.encrypted_content".equals(i.asText());
    }
    ResponsesRequest.Options options = new ResponsesRequest.Options(store, previous, include, echo(request));
    byte[] bytes = canonical.toString().getBytes(StandardCharsets.UTF_8);
    return new ResponsesRequest(body, fields, ChatRequestParser.parse(bytes), options, items, conversation, List.copyOf(dropped), refusal,
        ResponsesAnswers.newId("resp_"), foreignContinuity, held);
  }

  /** The input as items with ids, as {@code input_items} lists them. */
  private ArrayNode items(JsonNode input) {
    ArrayNode items = JSON.createArrayNode();
    if (input == null || input.isNull()) {
      return items;
    }
    if (input.isTextual()) {
      ObjectNode m = items.addObject().put("id", ResponsesAnswers.newId("msg_")).put("type", "message").put("role", "user");
      m.putArray("content").addObject().put("type", "input_text").put("text", input.asText());
      return items;
    }
    for (JsonNode item : input) {
      ObjectNode copy = (ObjectNode) item.deepCopy();
      if (!copy.has("type")) {
        copy.put("type", "message");
      }
      if (!copy.hasNonNull("id")) {
        String type = copy.path("type").asText();
        copy.put("id", ResponsesAnswers.newId(switch (type) {
          case "function_call" -> "fc_";
          case "function_call_output" -> "fco_";
          case "reasoning" -> "rs_";
          default -> "msg_";
        }));
      }
      items.add(copy);
    }
    return items;
  }

  /** The canonical messages of the input items. */
  private ArrayNode turn(ArrayNode items) {
    ArrayNode messages = JSON.createArrayNode();
    ObjectNode assistant = null;
    for (JsonNode item : items) {
      String type = item.path("type").asText();
      switch (type) {
        case "message" -> {
          String role = item.path("role").asText();
          if (role.equals("assistant")) {
            assistant = assistant == null ? JSON.createObjectNode().put("role", "assistant") : assistant;
            String text = assistant.path("content").asText("") + outputText(item.path("content"));
            assistant.put("content", text);
          } else {
            assistant = flush(assistant, messages);
            messages.add(message(role, item.path("content")));
          }
        }
        case "function_call" -> {
          assistant = assistant == null ? JSON.createObjectNode().put("role", "assistant") : assistant;
          ArrayNode calls = assistant.has("tool_calls") ? (ArrayNode) assistant.get("tool_calls") : assistant.putArray("tool_calls");
          ObjectNode call = calls.addObject().put("id", item.path("call_id").asText()).put("type", "function");
          call.putObject("function").put("name", ResponsesTools.canonicalName(item)).put("arguments", item.path("arguments").asText("{}"));
        }
        case "function_call_output" -> {
          assistant = flush(assistant, messages);
          messages.addObject().put("role", "tool").put("tool_call_id", item.path("call_id").asText())
              .put("content", outputText(item.path("output")));
        }
        case "reasoning" -> {
          String token = item.path("encrypted_content").asText("");
          assistant = assistant == null ? JSON.createObjectNode().put("role", "assistant") : assistant;
          StringBuilder summary = new StringBuilder(assistant.path("reasoning_content").asText(""));
          for (JsonNode s : item.path("summary")) {
            summary.append(s.path("text").asText());
          }
          if (!summary.isEmpty()) {
            assistant.put("reasoning_content", summary.toString());
          }
          if (ContinuityToken.looksLike(token)) {
            ArrayNode details = assistant.has("reasoning_details") ? (ArrayNode) assistant.get("reasoning_details")
                : assistant.putArray("reasoning_details");
            details.addObject().put("type", "reasoning.encrypted").put("data", token).put("format", ChatContinuity.FORMAT)
                .put("index", details.size());
            foreignContinuity = true;
          }
          // OpenAI's own encrypted reasoning means nothing to other providers; Responses backends get the bytes.
        }
        default -> dropped.add(type + " items");
      }
    }
    flush(assistant, messages);
    return messages;
  }

  /** OpenAI's rule: every function-call output answers a call made earlier in the conversation. */
  private static void pairCalls(ArrayNode conversation) throws InvalidRequestException {
    Set<String> calls = new java.util.HashSet<>();
    for (JsonNode m : conversation) {
      m.path("tool_calls").forEach(c -> calls.add(c.path("id").asText()));
      if ("tool".equals(m.path("role").asText()) && !calls.contains(m.path("tool_call_id").asText())) {
        throw new InvalidRequestException("input", "No tool call found for function call output with call_id "
            + dev.switchboard.proxy.error.Quote.of(m.path("tool_call_id").asText()) + ".");
      }
    }
  }

  private static ObjectNode flush(ObjectNode assistant, ArrayNode messages) {
    if (assistant != null) {
      if (!assistant.has("content")) {
        assistant.putNull("content");
      }
      if (assistant.has("tool_calls") || !assistant.path("content").asText("").isEmpty() || assistant.has("reasoning_details")) {
        messages.add(assistant);
      }
    }
    return null;
  }

  private ObjectNode message(String role, JsonNode content) {
    ObjectNode m = JSON.createObjectNode().put("role", role.equals("developer") ? "system" : role);
    if (content.isTextual()) {
      return m.put("content", content.asText());
    }
    if (!role.equals("user")) {
      return m.put("content", outputText(content)); // system and developer messages are text
    }
    ArrayNode parts = m.putArray("content");
    for (JsonNode part : content) {
      switch (part.path("type").asText()) {
        case "input_text", "output_text" -> parts.addObject().put("type", "text").put("text", part.path("text").asText());
        case "input_image" -> {
          if (part.hasNonNull("image_url")) {
            ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url")
                .put("url", part.path("image_url").asText());
            if (part.hasNonNull("detail")) {
              image.put("detail", part.path("detail").asText());
            }
          } else {
            refuse("images given by file_id (send them as image_url)");
          }
        }
        case "input_file" -> {
          if (part.hasNonNull("file_data")) {
            ObjectNode file = parts.addObject().put("type", "file").putObject("file");
            file.put("file_data", part.path("file_data").asText()).put("filename", part.path("filename").asText("document.pdf"));
          } else {
            refuse("files given by file_id or file_url (send them as file_data)");
          }
        }
        default -> dropped.add(part.path("type").asText() + " parts");
      }
    }
    return m;
  }

  /** The text of an assistant message's parts, or of a tool output (a string or parts). */
  private static String outputText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      if (type.equals("output_text") || type.equals("input_text") || type.equals("text")) {
        out.append(part.path("text").asText());
      } else if (type.equals("refusal")) {
        out.append(part.path("refusal").asText());
      }
    }
    return out.toString();
  }

  private static void text(JsonNode text, ObjectNode canonical) {
    if (text == null || text.isNull()) {
      return;
    }
    JsonNode format = text.path("format");
    switch (format.path("type").asText("text")) {
      case "json_object" -> canonical.putObject("response_format").put("type", "json_object");
      case "json_schema" -> {
        ObjectNode schema = canonical.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        schema.put("name", format.path("name").asText());
        schema.set("schema", format.path("schema"));
        if (format.has("strict")) {
          schema.set("strict", format.get("strict"));
        }
        if (format.hasNonNull("description")) {
          schema.put("description", format.path("description").asText());
        }
      }
      default -> {
        // plain text is the default
      }
    }
  }

  private void tools(ObjectNode request, ObjectNode canonical) {
    ArrayNode functions = ResponsesTools.functions(request.get("tools"), dropped, builtIns);
    if (!functions.isEmpty()) {
      canonical.set("tools", functions);
    }
    JsonNode choice = request.get("tool_choice");
    if (choice == null || choice.isNull()) {
      return;
    }
    if (choice.isTextual()) {
      String mode = choice.asText();
      if (!functions.isEmpty()) {
        canonical.put("tool_choice", mode);
      } else if (mode.equals("required") && !builtIns.isEmpty()) {
        refuse("tool_choice 'required' when every tool offered is a built-in tool (" + String.join(", ", builtIns) + ")");
      }
      return;
    }
    String type = choice.path("type").asText();
    if (type.equals("function")) {
      canonical.putObject("tool_choice").put("type", "function").putObject("function")
          .put("name", ResponsesTools.canonicalName(choice));
    } else if (type.equals("allowed_tools")) {
      dropped.add("tool_choice.allowed_tools");
      if (!functions.isEmpty()) {
        canonical.put("tool_choice", choice.path("mode").asText("auto"));
      }
    } else {
      refuse("tool_choice forcing the built-in tool '" + type + "'");
    }
  }

  /** The request's settings as a Response echoes them. */
  private static ObjectNode echo(ObjectNode request) {
    ObjectNode echo = JSON.createObjectNode();
    echo.set("instructions", request.hasNonNull("instructions") ? request.get("instructions") : JSON.nullNode());
    echo.set("metadata", request.hasNonNull("metadata") ? request.get("metadata") : JSON.createObjectNode());
    echo.set("parallel_tool_calls", request.has("parallel_tool_calls") ? request.get("parallel_tool_calls") : JSON.getNodeFactory().booleanNode(true));
    echo.set("tool_choice", request.has("tool_choice") ? request.get("tool_choice") : JSON.getNodeFactory().textNode("auto"));
    echo.set("tools", request.has("tools") ? request.get("tools") : JSON.createArrayNode());
    echo.set("temperature", request.has("temperature") ? request.get("temperature") : JSON.getNodeFactory().numberNode(1.0));
    echo.set("top_p", request.has("top_p") ? request.get("top_p") : JSON.getNodeFactory().numberNode(1.0));
    echo.set("max_output_tokens", request.has("max_output_tokens") ? request.get("max_output_tokens") : JSON.nullNode());
    echo.set("previous_response_id", request.has("previous_response_id") ? request.get("previous_response_id") : JSON.nullNode());
    ObjectNode reasoning = echo.putObject("reasoning");
    reasoning.set("effort", request.path("reasoning").hasNonNull("effort") ? request.path("reasoning").get("effort") : JSON.nullNode());
    reasoning.set("summary", request.path("reasoning").hasNonNull("summary") ? request.path("reasoning").get("summary") : JSON.nullNode());
    ObjectNode text = request.hasNonNull("text") ? (ObjectNode) request.get("text").deepCopy() : JSON.createObjectNode();
    if (!text.has("format")) {
      text.putObject("format").put("type", "text");
    }
    echo.set("text", text);
    echo.set("truncation", request.has("truncation") ? request.get("truncation") : JSON.getNodeFactory().textNode("disabled"));
    echo.set("user", request.has("user") ? request.get("user") : JSON.nullNode());
    echo.put("store", request.path("store").asBoolean(true));
    return echo;
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
