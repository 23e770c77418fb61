package dev.switchboard.proxy.server;

import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.observe.ProxyMetrics;
import dev.switchboard.proxy.probe.BackendProber;
import dev.switchboard.proxy.routing.ChatRouter;
import dev.switchboard.proxy.state.ResponseStore;

/** The parts every handler shares. */
public record ProxyContext(ConfigHolder holder, ChatRouter router, ProxyMetrics metrics, AccessLog accessLog,
    BackendProber prober, Settings settings, MemoryBudget memory, ResponseStore responses,
    dev.switchboard.proxy.quota.ClientQuotas quotas, dev.switchboard.proxy.capability.CapabilityChecker capabilities) {}
