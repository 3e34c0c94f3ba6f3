/**
 * Constrained decoding for the engine student: replies whose action must be one the environment accepts now
 * ({@link org.eef4j.core.agent.ActionSpace}), chosen by the model's own likelihood among the valid ones.
 */
package org.eef4j.student.decoding;
