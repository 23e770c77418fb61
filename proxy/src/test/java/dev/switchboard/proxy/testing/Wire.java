package dev.switchboard.proxy.testing;

/** OpenAI wire-format fragments, as the API reference documents them. */
public final class Wire {
  private Wire() {}

  public static String completion(String content) {
    return """
        {"id":"chatcmpl-abc123","object":"chat.completion","created":1731000000,"model":"gpt-4o-2024-11-20",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},"logprobs":null,\
        "finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,\
        "completion_tokens_details":{"reasoning_tokens":0}},"system_fingerprint":"fp_test"}""".formatted(content);
  }

  public static String roleChunk() {
    return "data: {\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
  }

  public static String chunk(String content) {
    return "data: {\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
  }

  public static String finishChunk(String reason) {
    return "data: {\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"" + reason + "\"}]}\n\n";
  }

  public static String usageChunk(int prompt, int completion) {
    return "data: {\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"total_tokens\":" + (prompt + completion) + "}}\n\n";
  }

  public static String done() {
    return "data: [DONE]\n\n";
  }

  public static String error(String message, String type, String code) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":\"" + code + "\"}}";
  }
}
