/**
 * The engine as the method's student: {@link org.eef4j.student.EnginePolicy} answers core's
 * {@link org.eef4j.core.agent.Policy} with the engine's batched generation; the trainer side lives in
 * {@code org.eef4j.student.train}. This module is the only one that sees both the engine and the method.
 */
package org.eef4j.student;
