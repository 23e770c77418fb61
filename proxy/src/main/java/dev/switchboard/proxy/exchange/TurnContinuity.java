package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.Continuity;
import dev.switchboard.proxy.exchange.ReasoningBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The continuity of the answer being translated: collected as the provider's blocks arrive,
 * written into the chat answer or stream where {@link ChatContinuity} says, and remembered under
 * the answer's tool call ids for clients that echo nothing else.
 */
public final class TurnContinuity {
  private final String issuer;
  private final ChatContinuity.Source source;
  private final List<ReasoningBlock> blocks = new ArrayList<>();
  private final List<String> toolCallIds = new ArrayList<>();

  public TurnContinuity(String backendId, ChatContinuity.Source source) {
    this.issuer = Continuity.tag(backendId); // once per answer, not per tool call
    this.source = source;
  }

  public void add(ReasoningBlock block) {
    blocks.add(block);
  }

  public Continuity continuity() {
    return blocks.isEmpty() ? Continuity.NONE : new Continuity(issuer, blocks);
  }

  /** A streamed tool call's first delta, carrying the continuity known so far. */
  public String toolCallStart(OpenAiChunks chunks, int index, String callId, String name) {
    toolCallIds.add(callId);
    return chunks.toolCallStart(index, callId, name, ChatContinuity.extraContent(continuity(), callId, toolCallIds.size() == 1));
  }

  /** Ends a stream's continuity: the whole {@code reasoning_details} in one delta, then remembered. */
  public void finish(OpenAiChunks chunks, List<String> out) {
    Continuity c = continuity();
    if (!c.isEmpty()) {
      out.add(chunks.reasoningDetails(ChatContinuity.details(c)));
    }
    remember(c);
  }

  /** A whole answer's message gets the continuity, which is remembered under its tool call ids. */
  public void attach(ObjectNode message) {
    Continuity c = continuity();
    ChatContinuity.attach(message, c);
    toolCallIds.addAll(ChatContinuity.toolCallIds(message.path("tool_calls")));
    remember(c);
  }

  private void remember(Continuity c) {
    source.store().remember(source.scope(), toolCallIds, c);
  }
}
