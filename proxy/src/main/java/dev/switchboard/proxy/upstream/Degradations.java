package dev.switchboard.proxy.upstream;

import java.util.ArrayList;
import java.util.List;

/**
 * What a try changed about the request so that the provider would answer rather than refuse it
 * (for example thinking switched off for one turn whose signed thinking did not come back). The
 * client is told in the {@code x-switchboard-degraded} header. Confined to the thread of one try.
 */
public final class Degradations {
  private final List<String> notes = new ArrayList<>();

  public void add(String note) {
    if (!notes.contains(note)) {
      notes.add(note);
    }
  }

  public List<String> list() {
    return List.copyOf(notes);
  }
}
