/**
 * The Llama-architecture decoder (Llama, Qwen2). {@link org.eef4j.engine.model.ModelConfig} is the validated shape;
 * {@link org.eef4j.engine.model.ParamLayout} places every Hugging Face-named weight in one flat array, shared by
 * {@link org.eef4j.engine.model.Parameters} for weights, gradients and optimizer moments;
 * {@link org.eef4j.engine.model.LlamaModel} runs forward (with the masked next-token loss) and backward over a
 * {@link org.eef4j.engine.model.Batch}, keeping what backward needs in {@link org.eef4j.engine.model.Activations}. Each
 * op (Embedding, RmsNorm, Linear, Rope, Attention, SwiGlu, CrossEntropy) is a class with a forward/backward pair whose
 * backward accumulates into gradients.
 */
package org.eef4j.engine.model;
