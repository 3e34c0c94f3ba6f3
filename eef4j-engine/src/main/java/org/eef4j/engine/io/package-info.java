/**
 * Model files in Hugging Face's formats: config.json ({@link org.eef4j.engine.io.HfConfig}), safetensors read
 * memory-mapped with every header entry validated ({@link org.eef4j.engine.io.SafeTensorsFile}, sharded checkpoints
 * through {@link org.eef4j.engine.io.Checkpoint}) and written in F32 or BF16
 * ({@link org.eef4j.engine.io.SafeTensorsWriter}), and whole model directories ({@link org.eef4j.engine.io.ModelFiles}).
 */
package org.eef4j.engine.io;
