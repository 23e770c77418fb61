package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/** What one wrk run measured, and the peak resident set of the process serving it (0 when not measured). */
record WrkResult(double requestsPerSecond, double p50Millis, double p99Millis, long errors, long requests, long peakRssKb) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the JSON line bench/lua/post.lua prints at the end of wrk's output. */
  static WrkResult parse(String output) throws IOException {
    String line = output.lines().filter(l -> l.startsWith("{\"requests\"")).reduce((a, b) -> b)
        .orElseThrow(() -> new IOException("wrk printed no result line:\n" + output));
    JsonNode n = JSON.readTree(line);
    long requests = n.get("requests").asLong();
    double seconds = n.get("duration_us").asLong() / 1e6;
    return new WrkResult(requests / seconds, n.get("p50_us").asLong() / 1000.0, n.get("p99_us").asLong() / 1000.0,
        n.get("errors").asLong() + n.get("status_errors").asLong(), requests, 0);
  }

  /** The run with the median throughput, and the median of each latency, over several rounds. */
  static WrkResult median(List<WrkResult> rounds) {
    return new WrkResult(
        middle(rounds.stream().map(WrkResult::requestsPerSecond).toList()),
        middle(rounds.stream().map(WrkResult::p50Millis).toList()),
        middle(rounds.stream().map(WrkResult::p99Millis).toList()),
        rounds.stream().mapToLong(WrkResult::errors).sum(),
        rounds.stream().mapToLong(WrkResult::requests).sum(),
        rounds.stream().mapToLong(WrkResult::peakRssKb).max().orElse(0));
  }

  WrkResult withPeakRssKb(long kb) {
    return new WrkResult(requestsPerSecond, p50Millis, p99Millis, errors, requests, kb);
  }

  static double middle(List<Double> values) {
    List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
