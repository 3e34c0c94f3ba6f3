/**
 * The methods' data builders, pure functions over trajectories with each rule in one class: SFT ({@link
 * org.eef4j.core.method.SftData}), RFT ({@link org.eef4j.core.method.RftData}), ETO's preference pairs ({@link
 * org.eef4j.core.method.EtoPairs}), and EEF: state selection ({@link org.eef4j.core.method.EefStateSelection}), outcomes
 * ({@link org.eef4j.core.method.EefOutcomes}), beneficial/harmful classification ({@link
 * org.eef4j.core.method.EefClassification}), solution selection ({@link org.eef4j.core.method.SolutionSelection}), the
 * masking rule ({@link org.eef4j.core.method.EefMasking}), and their union ({@link org.eef4j.core.method.EefData}),
 * every open choice of the paper a named option in {@link org.eef4j.core.method.EefOptions}.
 */
package org.eef4j.core.method;
