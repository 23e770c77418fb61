package dev.switchboard.config;

/** US dollars per million tokens. */
public record ModelPrice(double input, double output, double cachedInput) {}
