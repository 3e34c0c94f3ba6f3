/**
 * The agent loop: the {@link org.eef4j.core.agent.Environment}, {@link org.eef4j.core.agent.Policy} and {@link
 * org.eef4j.core.agent.Trainer} interfaces that WebShop and the engine implement through adapters, what an
 * environment tells a student and the report about its text ({@link org.eef4j.core.agent.StudentView}, {@link
 * org.eef4j.core.agent.ActionKinds}), ETO's ReAct prompt and episode rules, and the {@link
 * org.eef4j.core.agent.RolloutRunner} that plays many episodes with one batched policy call per round, from initial
 * states or from expert prefixes.
 */
package org.eef4j.core.agent;
