/**
 * Dataset files, each a reader and a writer: the field's formats (ETO's ShareGPT conversations with reward, ETO's DPO
 * preference pairs, AgentGym's AgentTraj, OpenAI chat fine-tuning JSONL) so that data made here opens in the Python
 * ecosystem and the reverse, and eef4j's own trajectory files. Every file carries its format name and version where its
 * format allows; every error names the file and the line.
 */
package org.eef4j.core.format;
