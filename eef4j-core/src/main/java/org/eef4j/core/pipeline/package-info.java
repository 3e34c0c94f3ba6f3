/**
 * Staged runs that resume: a {@link org.eef4j.core.pipeline.RunDirectory} whose stages write their outputs atomically
 * and mark themselves finished, the {@link org.eef4j.core.pipeline.IterativeRun} of SFT, RFT, RFT×k and EEF over a
 * {@link org.eef4j.core.pipeline.TunableAgent}, and progress reporting for long stages.
 */
package org.eef4j.core.pipeline;
