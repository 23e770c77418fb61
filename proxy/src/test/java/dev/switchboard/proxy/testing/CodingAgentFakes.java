package dev.switchboard.proxy.testing;

import static dev.switchboard.proxy.testing.ReasoningFakes.JSON;
import static dev.switchboard.proxy.testing.ReasoningFakes.events;
import static dev.switchboard.proxy.testing.ReasoningFakes.json;
import static dev.switchboard.proxy.testing.ReasoningFakes.obj;
import static dev.switchboard.proxy.testing.ReasoningFakes.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model that does one coding-agent task, behind the OpenAI chat, Gemini and Anthropic wire
 * formats: first it calls one of the agent's tools to create a file (Claude Code's {@code Write},
 * Codex's {@code exec_command}), then, once the tool result is back, it answers {@value #DONE}. It keeps every tool result it received, so a test can check
 * the agent really ran the tool, and it refuses what the real providers refuse (Gemini: a
 * function call from an earlier turn without its thought signature; a tool whose
 * {@code parameters} carry JSON Schema keywords Gemini's OpenAPI subset does not know).
 */
public final class CodingAgentFakes {
  public static final String DONE = "done: the file is written";
  public static final String CONTENT = "hello from switchboard\n";

  private CodingAgentFakes() {}

  /** The tool call that creates the file: the agent's tool and its arguments. */
  public record Task(String tool, String arguments) {
    /** Claude Code's Write tool. */
    public static Task write(String path) {
      return new Task("Write", obj().put("file_path", path).put("content", CONTENT).toString());
    }

    /** Codex's shell tool. */
    public static Task shell(String path) {
      return new Task("exec_command", obj().put("cmd", "printf 'hello from switchboard\\n' > '" + path + "'").toString());
    }
  }

  /** What a fake saw: each request's tool names, and the tool results that came back. */
  public static final class Seen {
    public final List<String> toolResults = new CopyOnWriteArrayList<>();
    public final List<List<String>> toolNames = new CopyOnWriteArrayList<>();
  }

  /** OpenAI chat completions, streamed (with usage when asked) or not. */
  public static FakeUpstream.Behaviour openAi(Task task, Seen seen) {
    return (req, res, r) -> {
      JsonNode body = JSON.readTree(r.body());
      List<String> names = new ArrayList<>();
      body.path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
      seen.toolNames.add(names);
      boolean resulted = false;
      for (JsonNode m : body.path("messages")) {
        if ("tool".equals(m.path("role").asText())) {
          seen.toolResults.add(m.path("content").asText());
          resulted = true;
        }
      }
      if (!resulted && !names.contains(task.tool())) {
        json(res, 400, obj().set("error", obj().put("message", "the fake needs a " + task.tool() + " tool").put("type", "invalid_request_error")));
        return;
      }
      ObjectNode usage = obj().put("prompt_tokens", 900).put("completion_tokens", 40).put("total_tokens", 940);
      String id = "chatcmpl-code" + System.nanoTime();
      if (body.path("stream").asBoolean()) {
        List<String> frames = new ArrayList<>();
        frames.add(chunk(id, obj().put("role", "assistant").put("content", ""), null));
        if (resulted) {
          frames.add(chunk(id, obj().put("content", DONE), null));
          frames.add(chunk(id, obj(), "stop"));
        } else {
          ObjectNode delta = obj();
          ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0).put("id", "call_write1").put("type", "function");
          call.putObject("function").put("name", task.tool()).put("arguments", "");
          frames.add(chunk(id, delta, null));
          String args = task.arguments();
          for (int i = 0; i < args.length(); i += 16) {
            ObjectNode d = obj();
            d.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments",
                args.substring(i, Math.min(args.length(), i + 16)));
            frames.add(chunk(id, d, null));
          }
          frames.add(chunk(id, obj(), "tool_calls"));
        }
        if (body.path("stream_options").path("include_usage").asBoolean()) {
          ObjectNode last = obj().put("id", id).put("object", "chat.completion.chunk").put("created", 1700000000).put("model", "coder");
          last.putArray("choices");
          last.set("usage", usage);
          frames.add("data: " + last + "\n\n");
        }
        frames.add("data: [DONE]\n\n");
        events(res, "text/event-stream", frames);
        return;
      }
      ObjectNode message = obj().put("role", "assistant");
      if (resulted) {
        message.put("content", DONE);
      } else {
        message.putNull("content");
        ObjectNode call = message.putArray("tool_calls").addObject().put("id", "call_write1").put("type", "function");
        call.putObject("function").put("name", task.tool()).put("arguments", task.arguments());
      }
      ObjectNode root = obj().put("id", id).put("object", "chat.completion").put("created", 1700000000).put("model", "coder");
      ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
      choice.set("message", message);
      choice.put("finish_reason", resulted ? "stop" : "tool_calls");
      root.set("usage", usage);
      json(res, 200, root);
    };
  }

  private static String chunk(String id, ObjectNode delta, String finish) {
    ObjectNode root = obj().put("id", id).put("object", "chat.completion.chunk").put("created", 1700000000).put("model", "coder");
    ObjectNode c = root.putArray("choices").addObject().put("index", 0);
    c.set("delta", delta);
    if (finish == null) {
      c.putNull("finish_reason");
    } else {
      c.put("finish_reason", finish);
    }
    return "data: " + root + "\n\n";
  }

  /** Gemini's generateContent and streamGenerateContent (SSE), as Gemini 3 with thought signatures. */
  public static FakeUpstream.Behaviour gemini(Task task, Seen seen) {
    String signature = "c2lnbmF0dXJlLW9mLXdyaXRl"; // what this model signs its Write call with
    return (req, res, r) -> {
      JsonNode body = JSON.readTree(r.body());
      List<String> names = new ArrayList<>();
      for (JsonNode group : body.path("tools")) {
        for (JsonNode d : group.path("functionDeclarations")) {
          names.add(d.path("name").asText());
          JsonNode parameters = d.path("parameters");
          for (String keyword : List.of("$schema", "additionalProperties")) {
            if (!parameters.isMissingNode() && parameters.toString().contains("\"" + keyword + "\"")) {
              json(res, 400, obj().set("error", obj().put("code", 400).put("message", "Invalid JSON payload received. Unknown name \""
                  + keyword + "\" at 'tools[0].function_declarations[" + (names.size() - 1) + "].parameters': Cannot find field.")
                  .put("status", "INVALID_ARGUMENT")));
              return;
            }
          }
        }
      }
      seen.toolNames.add(names);
      boolean resulted = false;
      for (JsonNode c : body.path("contents")) {
        for (JsonNode p : c.path("parts")) {
          if (p.has("functionCall") && !signature.equals(p.path("thoughtSignature").asText())) {
            json(res, 400, obj().set("error", obj().put("code", 400).put("message", "Function call is missing a thought_signature in"
                + " functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to"
                + " degraded model performance. Additional data, function call `default_api:" + task.tool() + "` , position 1. Please refer to"
                + " https://ai.google.dev/gemini-api/docs/thought-signatures for more details.").put("status", "INVALID_ARGUMENT")));
            return;
          }
          if (p.has("functionResponse")) {
            seen.toolResults.add(p.path("functionResponse").path("response").toString());
            resulted = true;
          }
        }
      }
      ObjectNode response = obj();
      ObjectNode candidate = response.putArray("candidates").addObject();
      ArrayNode parts = candidate.putObject("content").put("role", "model").putArray("parts");
      if (resulted) {
        parts.addObject().put("text", DONE);
      } else {
        ObjectNode part = parts.addObject();
        part.putObject("functionCall").put("name", task.tool()).set("args", JSON.readTree(task.arguments()));
        part.put("thoughtSignature", signature);
      }
      candidate.put("finishReason", "STOP").put("index", 0);
      response.set("usageMetadata", obj().put("promptTokenCount", 900).put("candidatesTokenCount", 40).put("totalTokenCount", 940));
      response.put("modelVersion", "gemini-3-fake");
      if (r.path().endsWith(":streamGenerateContent")) {
        events(res, "text/event-stream", List.of(sse("", response)));
      } else {
        json(res, 200, response);
      }
    };
  }

  /** Anthropic Messages, streamed or not: what a pass-through route reaches. */
  public static FakeUpstream.Behaviour anthropic(Task task, Seen seen) {
    return (req, res, r) -> {
      JsonNode body = JSON.readTree(r.body());
      List<String> names = new ArrayList<>();
      body.path("tools").forEach(t -> names.add(t.path("name").asText()));
      seen.toolNames.add(names);
      boolean resulted = false;
      for (JsonNode m : body.path("messages")) {
        for (JsonNode b : m.path("content")) {
          if ("tool_result".equals(b.path("type").asText())) {
            seen.toolResults.add(b.path("content").toString());
            resulted = true;
          }
        }
      }
      ObjectNode usage = obj().put("input_tokens", 900).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0)
          .put("output_tokens", 40);
      ObjectNode block = resulted ? obj().put("type", "text").put("text", DONE)
          : obj().put("type", "tool_use").put("id", "toolu_write1").put("name", task.tool());
      if (!resulted) {
        block.set("input", JSON.readTree(task.arguments()));
      }
      String stop = resulted ? "end_turn" : "tool_use";
      if (!body.path("stream").asBoolean()) {
        ObjectNode m = obj().put("id", "msg_code1").put("type", "message").put("role", "assistant").put("model", "claude-fake");
        m.putArray("content").add(block);
        m.put("stop_reason", stop).putNull("stop_sequence").set("usage", usage);
        json(res, 200, m);
        return;
      }
      List<String> frames = new ArrayList<>();
      ObjectNode start = obj().put("id", "msg_code1").put("type", "message").put("role", "assistant").put("model", "claude-fake");
      start.putArray("content");
      start.putNull("stop_reason").putNull("stop_sequence").set("usage", usage);
      frames.add(sse("message_start", obj().put("type", "message_start").set("message", start)));
      ObjectNode empty = block.deepCopy();
      if (resulted) {
        empty.put("text", "");
      } else {
        empty.putObject("input");
      }
      frames.add(sse("content_block_start", obj().put("type", "content_block_start").put("index", 0).set("content_block", empty)));
      ObjectNode delta = resulted ? obj().put("type", "text_delta").put("text", DONE)
          : obj().put("type", "input_json_delta").put("partial_json", task.arguments());
      frames.add(sse("content_block_delta", obj().put("type", "content_block_delta").put("index", 0).set("delta", delta)));
      frames.add(sse("content_block_stop", obj().put("type", "content_block_stop").put("index", 0)));
      ObjectNode md = obj().put("type", "message_delta");
      md.set("delta", obj().put("stop_reason", stop).putNull("stop_sequence"));
      md.set("usage", obj().put("output_tokens", 40));
      frames.add(sse("message_delta", md));
      frames.add(sse("message_stop", obj().put("type", "message_stop")));
      events(res, "text/event-stream", frames);
    };
  }

  /** The Responses API with {@code store: false}, streamed as OpenAI does, or not: what a pass-through route reaches. */
  public static FakeUpstream.Behaviour responses(Task task, Seen seen) {
    return (req, res, r) -> {
      JsonNode body = JSON.readTree(r.body());
      List<String> names = new ArrayList<>();
      body.path("tools").forEach(t -> names.add(t.path("name").asText(t.path("type").asText())));
      seen.toolNames.add(names);
      boolean resulted = false;
      for (JsonNode item : body.path("input")) {
        if ("function_call_output".equals(item.path("type").asText())) {
          seen.toolResults.add(item.path("output").toString());
          resulted = true;
        }
      }
      ObjectNode item = resulted
          ? obj().put("id", "msg_code1").put("type", "message").put("status", "completed").put("role", "assistant")
          : obj().put("id", "fc_code1").put("type", "function_call").put("status", "completed").put("call_id", "call_code1")
              .put("name", task.tool()).put("arguments", task.arguments());
      if (resulted) {
        ObjectNode text = item.putArray("content").addObject().put("type", "output_text").put("text", DONE);
        text.putArray("annotations");
      }
      ObjectNode response = obj().put("id", "resp_code1").put("object", "response").put("created_at", 1700000000)
          .put("status", "completed").put("model", "gpt-coder");
      response.putArray("output").add(item);
      ObjectNode usage = response.putObject("usage").put("input_tokens", 900).put("output_tokens", 40).put("total_tokens", 940);
      usage.putObject("input_tokens_details").put("cached_tokens", 0);
      usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
      if (!body.path("stream").asBoolean()) {
        json(res, 200, response);
        return;
      }
      List<String> frames = new ArrayList<>();
      int seq = 0;
      ObjectNode created = response.deepCopy().put("status", "in_progress");
      created.putArray("output");
      created.putNull("usage");
      frames.add(sse("response.created", obj().put("type", "response.created").put("sequence_number", seq++).set("response", created)));
      ObjectNode added = item.deepCopy().put("status", "in_progress");
      if (resulted) {
        added.putArray("content");
      } else {
        added.put("arguments", "");
      }
      frames.add(sse("response.output_item.added", obj().put("type", "response.output_item.added").put("sequence_number", seq++)
          .put("output_index", 0).set("item", added)));
      if (resulted) {
        ObjectNode part = obj().put("type", "output_text").put("text", "");
        part.putArray("annotations");
        frames.add(sse("response.content_part.added", obj().put("type", "response.content_part.added").put("sequence_number", seq++)
            .put("item_id", "msg_code1").put("output_index", 0).put("content_index", 0).set("part", part)));
        frames.add(sse("response.output_text.delta", obj().put("type", "response.output_text.delta").put("sequence_number", seq++)
            .put("item_id", "msg_code1").put("output_index", 0).put("content_index", 0).put("delta", DONE)));
      } else {
        frames.add(sse("response.function_call_arguments.delta", obj().put("type", "response.function_call_arguments.delta")
            .put("sequence_number", seq++).put("item_id", "fc_code1").put("output_index", 0).put("delta", task.arguments())));
      }
      frames.add(sse("response.output_item.done", obj().put("type", "response.output_item.done").put("sequence_number", seq++)
          .put("output_index", 0).set("item", item)));
      frames.add(sse("response.completed", obj().put("type", "response.completed").put("sequence_number", seq).set("response", response)));
      events(res, "text/event-stream", frames);
    };
  }
}
