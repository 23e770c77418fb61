package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** When and how often a failed request is tried again, possibly on another target. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RetrySpec(
    @JsonPropertyDescription("Total tries per request, the first included (1 means no retry). Default 3. Each retry may go to another target.")
    @Min(1)
    @Max(10)
    Integer attempts,
    @JsonPropertyDescription("Which failures are retried: 429 (rate limited; Retry-After honoured), 5xx, connect-failure, timeout. Default all four. Other 4xx answers are never retried.")
    @Size(max = 4)
    @ValidationRule(value = "self.all(r, self.exists_one(s, s == r))", message = "retryOn must not repeat a value")
    List<RetryOn> retryOn,
    @JsonPropertyDescription("Timeout of one try, before the next one starts. Default: the backend's request timeout.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String perTryTimeout,
    @JsonPropertyDescription("Waiting between tries.")
    Backoff backoff) {}
