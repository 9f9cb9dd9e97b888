package io.yinghuo.model.chat;

import java.util.Objects;

/**
 * The template {@link ChatTemplates#detect} chose for a model folder and why, for a log line such as
 * "chat template alpaca2 (folder name "Chinese-Alpaca-2-7B-GPTQ" contains "alpaca-2")".
 *
 * @param template   the chosen template
 * @param reason     what in the folder decided it, in words
 * @param recognised false when nothing identified the model and {@code template} is only the fallback
 */
public record TemplateDetection(ChatTemplate template, String reason, boolean recognised) {

    public TemplateDetection {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(reason, "reason");
    }
}
