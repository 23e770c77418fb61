/**
 * Capabilities proven by probes. {@link dev.switchboard.proxy.capability.CapabilityProbe} is the
 * one small request per capability and its judgement (pure); {@link
 * dev.switchboard.proxy.capability.CapabilityChecker} sends them through a backend's adapter;
 * {@link dev.switchboard.proxy.capability.CapabilityBook} holds the verdicts routing reads (from
 * this proxy's checks, or the operator's in the config); {@link
 * dev.switchboard.proxy.capability.CapabilityNeeds} reads what a request needs.
 */
package dev.switchboard.proxy.capability;
