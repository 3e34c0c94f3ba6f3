/**
 * A student's model directory, shared by the student ({@code org.eef4j.student}) and its training
 * ({@code org.eef4j.student.train}), which both depend on it and on nothing of each other's in this direction:
 * {@link org.eef4j.student.model.StudentModel} reads and writes the weights and the tokenizer's files, and
 * {@link org.eef4j.student.model.ChatFormat} renders a conversation through the model's chat template.
 */
package org.eef4j.student.model;
