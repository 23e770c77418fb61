package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a route picks among its healthy targets. */
public enum Strategy {
  /** Lowest priority value first; the next priority only when all better ones are unhealthy or failed. */
  @JsonProperty("failover") FAILOVER("failover"),
  /** Each request to the next healthy target in turn. */
  @JsonProperty("round-robin") ROUND_ROBIN("round-robin"),
  /** Healthy targets in proportion to their weight. */
  @JsonProperty("weighted") WEIGHTED("weighted"),
  /** The healthy target with the lowest recent latency (moving average). */
  @JsonProperty("least-latency") LEAST_LATENCY("least-latency");

  private final String wireName;

  Strategy(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
