/**
 * Training: PyTorch-exact {@link org.eef4j.engine.train.AdamW}, global-norm {@link org.eef4j.engine.train.GradClip},
 * warm-up + cosine {@link org.eef4j.engine.train.LrSchedule}, and the {@link org.eef4j.engine.train.Trainer}, the engine's one
 * training loop: one step (forward/backward over micro-batches, clip, step, zero) at a time, full or LoRA, resumable.
 */
package org.eef4j.engine.train;
