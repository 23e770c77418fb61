package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.Capability;

/**
 * The last check of one capability of one backend model, as the operator last recorded it in the
 * ChatBackend's status: the proxies route by it.
 *
 * @param backend the backend's id ({@code namespace/name})
 * @param model the backend model (a name from its {@code models})
 * @param reason {@code Verified}, or why not (a CamelCase word)
 * @param lastChecked RFC 3339
 */
public record CapabilityVerdict(String backend, String model, Capability capability, boolean verified, String reason, String message,
    String lastChecked) {}
