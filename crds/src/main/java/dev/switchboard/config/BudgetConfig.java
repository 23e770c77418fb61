package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.BudgetPeriod;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** A spending limit in US dollars per UTC calendar period. */
public record BudgetConfig(double usd, BudgetPeriod period) {
  /** When the period holding {@code now} began. */
  public static Instant periodStart(BudgetPeriod period, Instant now) {
    ZonedDateTime day = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
    return switch (period) {
      case DAY -> day.toInstant();
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
      case MONTH -> day.withDayOfMonth(1).toInstant();
    };
  }

  /** When the period holding {@code now} ends (the next one's start). */
  public static Instant periodEnd(BudgetPeriod period, Instant now) {
    ZonedDateTime start = periodStart(period, now).atZone(ZoneOffset.UTC);
    return switch (period) {
      case DAY -> start.plusDays(1).toInstant();
      case WEEK -> start.plusWeeks(1).toInstant();
      case MONTH -> start.plusMonths(1).toInstant();
    };
  }
}
