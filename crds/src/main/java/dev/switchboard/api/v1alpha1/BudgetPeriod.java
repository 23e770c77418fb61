package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** A UTC calendar period a budget covers. */
public enum BudgetPeriod {
  @JsonProperty("day") DAY("day"),
  @JsonProperty("week") WEEK("week"),
  @JsonProperty("month") MONTH("month");

  private final String wireName;

  BudgetPeriod(String wireName) {
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
