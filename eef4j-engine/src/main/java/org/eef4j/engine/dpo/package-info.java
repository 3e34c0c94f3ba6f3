/**
 * Direct preference optimisation: {@link org.eef4j.engine.dpo.DpoLoss} is the loss of one pair,
 * {@link org.eef4j.engine.dpo.DpoObjective} its forward and backward through the model against a frozen reference, an
 * objective the engine's one training loop ({@link org.eef4j.engine.train.Trainer}) steps.
 */
package org.eef4j.engine.dpo;
