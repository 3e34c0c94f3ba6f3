/**
 * A {@link org.eef4j.core.agent.Policy} over HTTP: vLLM's and SGLang's token-in/token-out endpoints (prompts rendered
 * by {@link org.eef4j.student.tokens.ChatTokens}, sampled ids kept exactly), OpenAI-compatible chat for servers that
 * speak only text, with several endpoints, timeouts, retries with backoff and a rate limit; the check that a server
 * tokenizes as eef4j does; and the loading of each iteration's adapter or checkpoint into the servers.
 */
package org.eef4j.remote.policy;
