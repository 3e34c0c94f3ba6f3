package org.eef4j.student;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.engine.generate.Completion;
import org.eef4j.engine.generate.Generator;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.generate.Request;
import org.eef4j.engine.generate.Sampling;
import org.eef4j.engine.generate.TokenFilter;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.student.decoding.ActionConstraint;
import org.eef4j.student.model.ChatFormat;
import org.eef4j.student.model.StudentModel;
import org.eef4j.student.tokens.ChatTokens;

/**
 * The engine as a core {@link Policy}: each conversation is rendered through the {@link ChatFormat} with the prompt of
 * the next assistant turn, all open episodes' turns are generated as one continuous batch, and each stops at the end
 * of its turn (an end-of-turn token or text), at a caller's stop string, or at the token budget.
 *
 * <p>Token ids are the truth, as on a token-in/token-out server: the prompt is built by {@link ChatTokens} (the
 * previous prompt's ids, the ids sampled for the last reply with its end-of-turn token, then the new observation turn
 * rendered), each reply carries the ids it sampled, closed by the end-of-turn token, and its text is those ids decoded,
 * not stripped or otherwise changed. An earlier reply the reply style reads as its sampled text keeps its ids in the
 * prompt; one the style rewrites (thoughts cut, clicks renamed) is rendered from the rewritten text. So the in-process
 * student decodes exactly what {@code eef4j serve} decodes for the same model, seeds and free replies (RemoteTwinTest).
 * A template without a single-token end of turn (no ids can close a reply) falls back to rendering the conversation's
 * text and stops at the turn's end as text ({@link #tokenPath()}).
 *
 * <p>A reply depends only on its request: the generator's results are bit-identical in any batch, and each request
 * samples from a stream seeded by its own seed. Successive turns of an episode share their prefix, which the
 * generator's prefix cache reuses instead of recomputing.
 */
public final class EnginePolicy implements Policy {

  private final Generator generator;
  private final Tokenizer tokenizer;
  private final ChatFormat format;
  private final ReplyStyle style;
  /** Null when the style decodes freely. */
  private final ActionConstraint.Factory constraints;
  /** Null when the template closes turns with no single token: the policy then renders text. */
  private final ChatTokens chatTokens;

  public EnginePolicy(Parameters params, Tokenizer tokenizer, ChatFormat format, GeneratorOptions options) {
    this(params, tokenizer, format, options, ReplyStyle.FREE);
  }

  /**
   * @param style how replies are written: with or without thoughts, and whether actions are decoded under the
   *     environment's action space (requests without one are decoded freely)
   */
  public EnginePolicy(Parameters params, Tokenizer tokenizer, ChatFormat format, GeneratorOptions options,
      ReplyStyle style) {
    if (tokenizer.vocabSize() > params.layout().config().vocabSize()) {
      throw new IllegalArgumentException("tokenizer of " + tokenizer.vocabSize() + " tokens for a model of "
          + params.layout().config().vocabSize());
    }
    this.tokenizer = tokenizer;
    this.format = format;
    this.style = style;
    this.constraints = style.validActions()
        ? new ActionConstraint.Factory(tokenizer, format.stopTokens(), style.thoughts(), style.queries())
        : null;
    this.generator = new Generator(params, ids -> tokenizer.decode(ids, false), options);
    this.chatTokens = tokenPath(tokenizer, format);
  }

  private static ChatTokens tokenPath(Tokenizer tokenizer, ChatFormat format) {
    try {
      return new ChatTokens(tokenizer, format.template());
    } catch (IllegalArgumentException noSingleTokenTurnEnd) {
      return null;
    }
  }

  /** Whether prompts are built from sampled ids and replies carry them (see the class comment). */
  public boolean tokenPath() {
    return chatTokens != null;
  }

  public EnginePolicy(StudentModel model, GeneratorOptions options) {
    this(model.params(), model.tokenizer(), model.format(), options);
  }

  /** Call after the model's weights were trained in place: generation then uses the new values. */
  public void weightsChanged() {
    generator.weightsChanged();
  }

  public Generator generator() {
    return generator;
  }

  public ChatFormat format() {
    return format;
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    // on the token path a turn ends at its end-of-turn id, as on a server; the text path also stops at its text
    List<String> stops = new ArrayList<>(chatTokens != null ? List.of() : format.turnEnds());
    sampling.stop().stream().filter(s -> !stops.contains(s)).forEach(stops::add);
    // each reply answers its conversation's last page: the student writes that page's clicks in its own names
    // (its view of the environment), the environment gets them back in its names
    List<StudentView.Page> pages = new ArrayList<>(requests.size());
    List<Request> batch = new ArrayList<>(requests.size());
    for (GenerationRequest r : requests) {
      ReplyStyle.Read conversation = style.read(r.messages());
      List<ChatMessage> read = conversation.messages();
      pages.add(conversation.lastPage());
      ActionSpace actions = r.actions() == null ? null : conversation.lastPage().toStudent(r.actions());
      int[] prompt = chatTokens != null ? chatTokens.prompt(read) : format.prompt(tokenizer, read);
      batch.add(new Request(nonEmpty(prompt),
          new Sampling(sampling.temperature(), sampling.topP(), 0, replyBudget(actions, sampling.maxNewTokens()), stops,
              format.stopTokens()),
          r.seed(), constraint(read, actions)));
    }
    List<Completion> done = generator.generate(batch);
    int context = generator.config().maxPositionEmbeddings();
    List<Reply> replies = new ArrayList<>(done.size());
    for (int i = 0; i < done.size(); i++) {
      Completion c = done.get(i);
      if (c.finish() == Completion.Finish.PROMPT_TOO_LONG) {
        replies.add(new Reply.Failed(
            "conversation of " + c.promptTokens() + " tokens fills the model's context of " + context));
      } else if (chatTokens != null) {
        TokenIds ids = chatTokens.replyIds(c.tokens());
        replies.add(new Reply.Text(pages.get(i).toEnvironment(chatTokens.replyText(ids)), c.promptTokens(),
            c.tokens().length, ids));
      } else {
        replies.add(new Reply.Text(pages.get(i).toEnvironment(c.text().strip()), c.promptTokens(), c.tokens().length));
      }
    }
    return replies;
  }

  /**
   * The token budget of a reply: the configured one, raised where a constrained reply could not otherwise finish its
   * longest valid action (a search with a long given text). A budget that cuts a valid action short leaves an unclosed
   * bracket, which the environment rejects, so the episode would repeat the same cut action to its end. Replies with
   * thoughts first are not bounded this way: their thoughts are free text.
   */
  private int replyBudget(ActionSpace space, int configured) {
    if (constraints == null || style.thoughts() || space == null) return configured;
    List<String> actions = new ArrayList<>(space.choices());
    space.givenTexts().forEach((name, text) -> actions.add(name + "[" + text + "]"));
    int budget = configured;
    for (String action : actions) {
      // the constraint accepts any spelling of the action, down to a byte per token: its UTF-8 length bounds the
      // tokens, plus the end-of-turn token (a reply ends there, so the bound costs nothing when not needed)
      budget = Math.max(budget, ("Action: " + action).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1);
    }
    return budget;
  }

  /**
   * The action constraint of a reply to the conversation {@code read} (as the style reads it) under {@code space} (as
   * the style writes actions), or null when the style decodes freely or the request has no action space.
   */
  private TokenFilter constraint(List<ChatMessage> read, ActionSpace space) {
    if (constraints == null || space == null) return null;
    return constraints.of(space, read.stream().filter(m -> m.role() == Role.USER).map(ChatMessage::content).toList());
  }

  private static int[] nonEmpty(int[] prompt) {
    if (prompt.length == 0) throw new IllegalArgumentException("the chat template rendered an empty prompt");
    return prompt;
  }
}
