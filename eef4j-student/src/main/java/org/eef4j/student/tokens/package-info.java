/**
 * Conversations as token ids, rendered with the model's own chat template: the prompts a token-in/token-out server
 * reads, with the ids it sampled spliced back in as they are, and the same ids with per-token loss masks for a trainer.
 */
package org.eef4j.student.tokens;
