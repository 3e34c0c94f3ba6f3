/**
 * Direct preference optimisation: {@link org.eef4j.engine.dpo.DpoLoss} is the loss of one pair,
 * {@link org.eef4j.engine.dpo.DpoObjective} its forward and backward through the model against a frozen reference,
 * {@link org.eef4j.engine.dpo.DpoTrainer} the optimiser steps.
 */
package org.eef4j.engine.dpo;
