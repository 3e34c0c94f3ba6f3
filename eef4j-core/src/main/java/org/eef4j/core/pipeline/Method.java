package org.eef4j.core.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.eef4j.core.method.EefVariant;

/**
 * One row of the comparison (EEF.md "Baselines and variants"). Each method has a directory-safe {@link #id()} (its
 * folder in the run directory, its key in metrics.json) and a {@link #label()} for tables and plots.
 */
public sealed interface Method {

  String id();

  String label();

  /** Whether the method runs fine-tuning iterations after behaviour cloning. */
  default boolean iterates() {
    return false;
  }

  /** An expert's own trajectories on the test tasks. */
  record Expert(String expert) implements Method {
    public Expert {
      Objects.requireNonNull(expert, "expert");
    }

    @Override
    public String id() {
      return "expert-" + expert;
    }

    @Override
    public String label() {
      return "expert (" + expert + ")";
    }
  }

  /**
   * The no-learning control of a student that decodes with aids (valid actions, given texts, positions, option
   * names): the same aids and step limit, and a fixed rule in place of the model's choice ({@link AidsOnlyControl}).
   * What a student wins beyond this row is what it learned; what this row wins, the aids win alone.
   */
  record AidsOnly() implements Method {
    @Override
    public String id() {
      return "aids-only";
    }

    @Override
    public String label() {
      return "aids only";
    }
  }

  /** Behaviour cloning only (phase 1). */
  record Sft() implements Method {
    @Override
    public String id() {
      return "sft";
    }

    @Override
    public String label() {
      return "SFT";
    }
  }

  /**
   * Rejection-sampling fine-tuning with k rollouts per training task per iteration: k = 1 is RFT, k = 1 + M the
   * compute-matched RFT×k.
   */
  record Rft(int rolloutsPerTask) implements Method {
    public Rft {
      if (rolloutsPerTask < 1) {
        throw new IllegalArgumentException("RFT needs at least 1 rollout per task, got " + rolloutsPerTask);
      }
    }

    @Override
    public String id() {
      return rolloutsPerTask == 1 ? "rft" : "rft-x" + rolloutsPerTask;
    }

    @Override
    public String label() {
      return rolloutsPerTask == 1 ? "RFT" : "RFT×" + rolloutsPerTask;
    }

    @Override
    public boolean iterates() {
      return true;
    }
  }

  /** ETO: behaviour cloning, then iterations of exploration and DPO on (expert success, agent failure) pairs. */
  record Eto() implements Method {
    @Override
    public String id() {
      return "eto";
    }

    @Override
    public String label() {
      return "ETO";
    }

    @Override
    public boolean iterates() {
      return true;
    }
  }

  /**
   * EEF or one of its ablations.
   *
   * @param variant the paper's EEF or an ablation preset
   * @param m M, intermediate states per failed expert trajectory
   * @param experts whose failed trajectories are explored (the first is the one behaviour cloning learned from); more
   *     than one is "EEF, several experts"
   */
  record Eef(EefVariant variant, int m, List<String> experts) implements Method {
    public Eef {
      Objects.requireNonNull(variant, "variant");
      experts = List.copyOf(experts);
      if (m < 1) {
        throw new IllegalArgumentException("EEF's M must be >= 1, got " + m);
      }
      if (experts.isEmpty()) {
        throw new IllegalArgumentException("EEF explores the failures of at least one expert");
      }
    }

    @Override
    public String id() {
      StringBuilder b = new StringBuilder("eef");
      if (variant != EefVariant.EEF) {
        b.append('-').append(variant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      if (m != 5) {
        b.append("-m").append(m);
      }
      if (experts.size() > 1) {
        b.append('-').append(String.join("+", experts));
      }
      return b.toString();
    }

    @Override
    public String label() {
      StringBuilder b = new StringBuilder("EEF");
      switch (variant) {
        case EEF -> {}
        case DS0_ONLY -> b.append(", D_s0 only");
        case DR_ONLY -> b.append(", D_r only");
        case NO_MASKING -> b.append(", no masking");
        case RANDOM_SELECTION -> b.append(", random selection");
      }
      if (m != 5) {
        b.append(", M=").append(m);
      }
      if (experts.size() > 1) {
        b.append(" (").append(String.join(" + ", experts)).append(" failures)");
      }
      return b.toString();
    }

    @Override
    public boolean iterates() {
      return true;
    }
  }
}
