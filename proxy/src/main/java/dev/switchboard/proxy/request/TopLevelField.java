package dev.switchboard.proxy.request;

/** One top-level field of a JSON body: bytes {@code [start, end)} hold {@code "name": value}. */
public record TopLevelField(String name, int start, int valueStart, int end) {}
