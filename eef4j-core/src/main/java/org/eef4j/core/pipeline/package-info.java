/**
 * The staged EEF pipeline and the run directory it writes. {@link org.eef4j.core.pipeline.Pipeline} runs the
 * comparison of {@link org.eef4j.core.pipeline.PipelineConfig} (the methods of {@link
 * org.eef4j.core.pipeline.Method}, seeds, rollout and EEF options) on the live objects of {@link
 * org.eef4j.core.pipeline.PipelineSetup} (environment, prompt, {@link org.eef4j.core.pipeline.TaskSuite}, {@link
 * org.eef4j.core.pipeline.ExpertSource}s, a {@link org.eef4j.core.pipeline.StudentFactory}); {@link
 * org.eef4j.core.pipeline.RunStore} documents the directory layout and the resume rule; {@link
 * org.eef4j.core.pipeline.RunMetrics} computes every reported figure from the directory alone. The subpackage {@code
 * toy} holds a tiny shop, its scripted expert and a counting student that exercise the whole pipeline in seconds.
 */
package org.eef4j.core.pipeline;
