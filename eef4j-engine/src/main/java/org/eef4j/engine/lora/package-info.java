/**
 * LoRA adapters: {@link org.eef4j.engine.lora.LoraAdapter} adds trainable low-rank paths beside the model's frozen
 * projections through {@link org.eef4j.engine.model.ProjectionHook}, merges them into the base weights, and
 * {@link org.eef4j.engine.lora.PeftFiles} reads and writes them in Hugging Face PEFT's format.
 */
package org.eef4j.engine.lora;
