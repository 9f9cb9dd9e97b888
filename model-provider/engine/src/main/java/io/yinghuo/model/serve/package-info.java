/**
 * Serving several sequences of one model: the KV slot pool bounded by memory ({@link io.yinghuo.model.serve.KvSlotPool}),
 * prefix reuse across requests, and the continuous-batching loop ({@link io.yinghuo.model.serve.BatchScheduler}) that
 * the model worker runs. Backend-independent: everything goes through {@code engine.LoadedModel} and its sessions.
 */
package io.yinghuo.model.serve;
