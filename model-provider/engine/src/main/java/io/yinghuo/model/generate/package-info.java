/**
 * Text generation on top of an {@link io.yinghuo.model.engine.InferenceSession}: {@link
 * io.yinghuo.model.generate.SamplingParams} (with the model families' presets), the Hugging Face-compatible {@link
 * io.yinghuo.model.generate.Sampler}, the streaming {@link io.yinghuo.model.generate.Generator} (EOS, stop strings,
 * token limit, full context, cancellation, optionally a {@link io.yinghuo.model.constrain.TokenConstraint}) and the
 * {@link io.yinghuo.model.generate.PerplexityEvaluator} behind the {@code perplexity} command.
 */
package io.yinghuo.model.generate;
