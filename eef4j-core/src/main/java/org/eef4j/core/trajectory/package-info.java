/**
 * Episodes and training examples: {@link org.eef4j.core.trajectory.Trajectory} (turns, who produced each action, its
 * loss mask, the start state, the outcome) and {@link org.eef4j.core.trajectory.TrainingExample} (a conversation with a
 * per-message loss mask, which a trainer makes per token through its chat template).
 */
package org.eef4j.core.trajectory;
