/**
 * Numerical kernels on float arrays: a blocked, register-tiled GEMM ({@link org.eef4j.engine.kernel.Gemm}) and
 * element-wise/reduction ops ({@link org.eef4j.engine.kernel.VectorOps}), each with a Vector API body and a scalar twin;
 * the choice between them is made once in {@link org.eef4j.engine.kernel.Backend} ({@code -Deef4j.kernels=scalar}
 * forces the plain path). Parallel work runs on one fixed {@link org.eef4j.engine.kernel.WorkerPool}
 * ({@code -Deef4j.threads=N}).
 */
package org.eef4j.engine.kernel;
