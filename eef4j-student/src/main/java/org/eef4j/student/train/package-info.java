/**
 * Training the engine on core's data: {@link org.eef4j.student.train.MaskedTokens} turns per-message loss masks into
 * per-token ones through the chat template, {@link org.eef4j.student.train.LengthBatches} groups conversations into
 * padded batches, {@link org.eef4j.student.train.SftSteps} and {@link org.eef4j.student.train.DpoSteps} plan the
 * epochs' steps ({@link org.eef4j.student.train.PlannedSteps}) and run each through the engine's one training loop
 * ({@link org.eef4j.engine.train.Trainer}, full or LoRA, stepping cross-entropy or the DPO objective),
 * {@link org.eef4j.student.train.SftRun} checkpoints and resumes them, and
 * {@link org.eef4j.student.train.EngineTrainer} is core's Trainer and PreferenceTrainer (SFT and DPO), running,
 * checkpointing and resuming either plan the same way.
 */
package org.eef4j.student.train;
