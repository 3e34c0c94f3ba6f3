/**
 * Training: PyTorch-exact {@link org.eef4j.engine.train.AdamW}, global-norm {@link org.eef4j.engine.train.GradClip},
 * warm-up + cosine {@link org.eef4j.engine.train.LrSchedule}, and the {@link org.eef4j.engine.train.Trainer}, the engine's one
 * training loop: one step (forward/backward of an {@link org.eef4j.engine.train.Objective} through the
 * {@link org.eef4j.engine.train.TrainedModel}, clip, step, zero) at a time, full or LoRA, resumable; supervised
 * cross-entropy over micro-batches and DPO ({@link org.eef4j.engine.dpo.DpoObjective}) are its objectives.
 */
package org.eef4j.engine.train;
