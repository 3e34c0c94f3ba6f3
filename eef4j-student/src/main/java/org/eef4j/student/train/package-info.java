/**
 * Training the engine on core's data: {@link org.eef4j.student.train.MaskedTokens} turns per-message loss masks into
 * per-token ones through the chat template, {@link org.eef4j.student.train.LengthBatches} groups conversations into
 * padded batches, {@link org.eef4j.student.train.SftSteps} plans the epochs' steps and runs each through the engine's one training
 * loop ({@link org.eef4j.engine.train.Trainer}, full or LoRA),
 * {@link org.eef4j.student.train.SftRun} checkpoints and resumes them, and
 * {@link org.eef4j.student.train.EngineTrainer} is core's Trainer and PreferenceTrainer (SFT and DPO).
 */
package org.eef4j.student.train;
