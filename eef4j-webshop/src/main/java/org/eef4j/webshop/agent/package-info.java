/**
 * WebShop as eef4j-core sees an environment: {@link org.eef4j.webshop.agent.WebShopEnvironments} opens
 * {@link org.eef4j.webshop.agent.WebShopEnvironment}s for the episode runner, and
 * {@link org.eef4j.webshop.agent.WebShopTasks} names tasks ({@code webshop_N}, AgentGym's ids: N is the goal index),
 * reads splits (AgentGym's train/test files, ETO's index lists) or makes one for a catalogue that has none, and
 * describes a task's category and difficulty for per-category reports.
 */
package org.eef4j.webshop.agent;
