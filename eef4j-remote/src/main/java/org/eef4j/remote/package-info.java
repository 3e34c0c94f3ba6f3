/**
 * Real models at GPU scale: rollouts and experts over OpenAI-compatible servers (vLLM and SGLang token-in/token-out,
 * text-only chat servers), adapter loading between iterations, and the pre-tokenized training data (ids and loss masks)
 * that external trainers such as TRL and axolotl read.
 */
package org.eef4j.remote;
