/**
 * Evaluation metrics, pure functions over trajectories: win rate and mean score per named test set and per category,
 * mean ± std over seeds, tasks newly and never solved per iteration, success sources, masked vs trained actions, skill
 * usage by the kinds of action the environment names, compute spent.
 */
package org.eef4j.core.eval;
