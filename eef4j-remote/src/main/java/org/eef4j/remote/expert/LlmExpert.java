package org.eef4j.remote.expert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.eef4j.core.agent.ContextWindow;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.pipeline.RunStore;

/**
 * An LLM expert: a chat model behind an OpenAI-compatible API playing the run's environment under ETO's prompt (the
 * instruction, "OK", the one-shot example; {@link ReactPrompt#loadEto}), greedy, within the run's step limit, as ETO
 * plays GPT-4 on WebShop. Its trajectories hold the episode turns only, so the student learns from them under the
 * run's own prompt.
 *
 * <p>While it plays, the progress line carries its usage ({@link ChatUsage#line}); when it has played, the usage is
 * written to {@code usageFile}: what this play's trajectories cost, and of that what was sent rather than read from
 * the cache. A request that keeps failing ends its episode (reward 0, "policy failed") and is
 * counted there; it is not cached, so playing again asks it again.
 */
public final class LlmExpert implements ExpertSource.Acting.Player, AutoCloseable {

  private final ChatPolicy policy;
  private final RolloutRunner runner;
  private final Path usageFile;
  private final String description;

  /**
   * @param prompt the expert's prompt (ETO's WebShop prompt with its in-context example)
   * @param runOptions the run's rollout options: their step limit and batch size are kept, their sampling is not
   * @param usageFile where the usage is recorded, or null for nowhere
   */
  public LlmExpert(ChatExpertConfig config, EnvironmentFactory environments, ReactPrompt prompt,
      RolloutOptions runOptions, Path usageFile) {
    this.policy = new ChatPolicy(config);
    // the whole episode in view, as ETO's experts read it, whatever window the student is trained with
    RolloutOptions options = runOptions.withWindow(ContextWindow.FULL).withSampling(
        new SamplingParams(config.temperature(), 1.0, config.maxTokens(), config.stop()));
    this.runner = new RolloutRunner(environments, policy, Objects.requireNonNull(prompt, "prompt"), options);
    this.usageFile = usageFile;
    // the API key and the cache's place change no answer and stay out
    this.description = config.model() + " at " + config.baseUrl() + ", temperature " + config.temperature()
        + ", max_tokens " + config.maxTokens() + ", stop " + config.stop() + ", " + options.maxSteps()
        + " steps, prompt sha256 " + promptHash(prompt);
  }

  /** SHA-256 over the prompt's messages, each its role, a newline, its content and a NUL. */
  static String promptHash(ReactPrompt prompt) {
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      for (var m : prompt.inferencePrefix()) {
        d.update((m.role() + "\n" + m.content() + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return java.util.HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  /** The source the pipeline plays. */
  public static ExpertSource source(String name, LlmExpert expert) {
    return new ExpertSource.Acting(name, expert);
  }

  public ChatUsage usage() {
    return policy.usage();
  }

  @Override
  public RolloutResult play(List<EpisodeSpec> specs, ProgressListener progress) {
    ChatUsage usage = policy.countAfresh();
    RolloutResult r = runner.run(specs, p -> progress.onProgress(p.withDetail(usage.line())));
    if (usageFile != null) {
      try {
        Files.createDirectories(usageFile.toAbsolutePath().getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + usageFile.getParent(), e);
      }
      RunStore.writeJson(usageFile, usage.toJson());
    }
    return r;
  }

  @Override
  public void close() {
    policy.close();
  }
}
