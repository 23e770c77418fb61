package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.NodeSdk;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ClientKey refusals as the official SDKs see them (src/test/node/clientkeys.mjs): each one their
 * own error class with the status, code and headers they act on, and a spent budget answered once,
 * not retried by the SDK's default retries.
 */
class ClientKeySdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theOfficialSdksSeeEachRefusalAsTheirOwnError() throws Exception {
    try (TestProxy proxy = TestProxy.start()) {
      proxy.serve("""
          apiVersion: v1
          kind: Secret
          metadata: {name: keys}
          stringData: {limited: sk-sb-limited, limitedm: sk-sb-limitedm, broke: sk-sb-broke, brokem: sk-sb-brokem, retired: sk-sb-retired}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: mock}
          spec: {provider: mock, models: [{name: echo, pricing: {input: 1000, output: 1000}}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: other}
          spec: {model: other, targets: [{backendRef: {name: mock}, model: echo}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ClientKey
          metadata: {name: limited}
          spec: {secretRef: {name: keys, key: limited}, models: [chat], limits: {requestsPerMinute: 1}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ClientKey
          metadata: {name: limitedm}
          spec: {secretRef: {name: keys, key: limitedm}, models: [chat], limits: {requestsPerMinute: 1}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ClientKey
          metadata: {name: broke}
          spec: {secretRef: {name: keys, key: broke}, budget: {usd: 0.001, period: month}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ClientKey
          metadata: {name: brokem}
          spec: {secretRef: {name: keys, key: brokem}, budget: {usd: 0.001, period: month}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ClientKey
          metadata: {name: retired}
          spec: {secretRef: {name: keys, key: retired}, disabled: true}
          """);
      NodeSdk.Run run = NodeSdk.run("clientkeys.mjs", Map.of("BASE_URL", proxy.url(), "MODEL", "chat", "OTHER", "other",
          "LIMITED", "sk-sb-limited", "LIMITED_MESSAGES", "sk-sb-limitedm", "BROKE", "sk-sb-broke", "BROKE_MESSAGES", "sk-sb-brokem",
          "OFF", "sk-sb-retired"));
      assertThat(run.lines()).as(run.stderr()).hasSize(8).allMatch(l -> l.contains("\"ok\":true"));
      assertThat(run.exitCode()).isZero();
      long budgetRefusals = proxy.accessLog().stream().filter(l -> l.contains("\"error\":\"insufficient_quota\"")).count();
      assertThat(budgetRefusals).as("one refusal per SDK call: the SDKs' default retries did not repeat it").isEqualTo(2);
    }
  }
}
