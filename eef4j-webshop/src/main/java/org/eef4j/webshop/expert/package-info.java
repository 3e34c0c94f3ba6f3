/**
 * The scripted WebShop expert: {@link org.eef4j.webshop.expert.ScriptedExpert} writes ETO-format ReAct trajectories
 * (producer EXPERT) by acting in the environment, and fails the way GPT-4 does at the rates of a
 * {@link org.eef4j.webshop.expert.FailureProfile} (GPT-4 and a weaker GPT-3.5 preset; a table of modes, triggers and
 * probabilities is on that class). {@link org.eef4j.webshop.expert.ScriptedExpertPolicy} is the same expert as a core
 * Policy, for pipelines that play their experts through the episode runner. {@link org.eef4j.webshop.expert.ExpertBench}
 * measures a profile on a catalogue and split:
 *
 * <pre>
 * java -cp eef4j-cli/target/eef4j-cli.jar org.eef4j.webshop.expert.ExpertBench --profile gpt4
 * java -cp eef4j-cli/target/eef4j-cli.jar org.eef4j.webshop.expert.ExpertBench --data ../shared/data/webshop-1k \
 *     --split train --profile gpt4 --out expert-gpt4.jsonl
 * </pre>
 */
package org.eef4j.webshop.expert;
