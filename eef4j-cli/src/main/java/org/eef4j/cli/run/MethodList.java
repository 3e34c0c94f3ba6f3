package org.eef4j.cli.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eef4j.core.method.EefVariant;
import org.eef4j.core.pipeline.Method;

/** A config's {@code methods}: the rows of the comparison, each listed once, with the aids-only control added. */
final class MethodList {

  private MethodList() {}

  /**
   * Reads {@code methods}.
   *
   * @param experts the config's experts (expert:NAME and EEF's experts name them; the first is the default)
   * @param m EEF's default M
   * @param student decides whether the aids-only control belongs in the comparison
   */
  static List<Method> read(ConfigNode n, List<? extends ExpertSetup<?>> experts, int m, StudentSetup<?> student) {
    return withControl(methods(n, experts, m), student, n);
  }

  private static List<Method> methods(ConfigNode n, List<? extends ExpertSetup<?>> experts, int m) {
    List<Method> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    String first = experts.getFirst().name();
    for (ConfigNode e : n.list()) {
      Method method = e.isObject() ? eefObject(e, experts, m) : named(e, experts, m, first);
      if (!ids.add(method.id())) {
        throw e.error(method.label() + " is listed twice");
      }
      out.add(method);
    }
    if (out.isEmpty()) {
      throw n.error("at least one method");
    }
    return out;
  }

  private static Method named(ConfigNode e, List<? extends ExpertSetup<?>> experts, int m, String first) {
    String name = e.text().strip();
    if (name.startsWith("expert:")) {
      String expert = name.substring(7);
      requireExpert(e, experts, expert);
      return new Method.Expert(expert);
    }
    if (name.startsWith("rft-x") && !name.equals("rft-xk")) {
      try {
        return new Method.Rft(Integer.parseInt(name.substring(5)));
      } catch (IllegalArgumentException ex) {
        throw e.error("'" + name + "': rft-xK takes a number of rollouts K >= 1 (or rft-xk for 1 + M)");
      }
    }
    return switch (name) {
      case "expert" -> new Method.Expert(first);
      case "sft" -> new Method.Sft();
      case "aids-only" -> new Method.AidsOnly();
      case "rft" -> new Method.Rft(1);
      case "rft-xk" -> new Method.Rft(1 + m);
      case "eto" -> new Method.Eto();
      case "eef" -> new Method.Eef(EefVariant.EEF, m, List.of(first));
      case "eef-several-experts" -> {
        if (experts.size() < 2) {
          throw e.error("eef-several-experts needs at least two experts");
        }
        yield new Method.Eef(EefVariant.EEF, m, experts.stream().map(ExpertSetup::name).toList());
      }
      case "eef-ds0-only" -> new Method.Eef(EefVariant.DS0_ONLY, m, List.of(first));
      case "eef-dr-only" -> new Method.Eef(EefVariant.DR_ONLY, m, List.of(first));
      case "eef-no-masking" -> new Method.Eef(EefVariant.NO_MASKING, m, List.of(first));
      case "eef-random-selection" -> new Method.Eef(EefVariant.RANDOM_SELECTION, m, List.of(first));
      default ->
          throw e.error(
              "unknown method '" + name + "' (expected expert, expert:NAME, aids-only, sft, rft, rft-xk, rft-xK, eto, eef,"
                  + " eef-several-experts, eef-ds0-only, eef-dr-only, eef-no-masking, eef-random-selection, or"
                  + " {eef: VARIANT, m: M, experts: [...]})");
    };
  }

  /**
   * The methods with the aids-only control ({@link Method.AidsOnly}) where the student decodes with aids: every such
   * run carries it, so that no student figure is read without what the aids win alone. Added after the experts when
   * the config does not list it; refused for a student without aids.
   */
  private static List<Method> withControl(List<Method> methods, StudentSetup<?> student, ConfigNode at) {
    boolean aided = student.engine().map(e -> e.style().validActions()).orElse(false);
    boolean listed = methods.contains(new Method.AidsOnly());
    if (listed && !aided) {
      throw at.error("aids-only is the control of a student that decodes with aids (student: {kind: engine, replies:"
          + " {actions: valid, ...}}); this student has none");
    }
    boolean studentRows = methods.stream().anyMatch(x -> !(x instanceof Method.Expert));
    if (!aided || listed || !studentRows) return methods;
    List<Method> out = new ArrayList<>(methods);
    int afterExperts = 0;
    while (afterExperts < out.size() && out.get(afterExperts) instanceof Method.Expert) afterExperts++;
    out.add(afterExperts, new Method.AidsOnly());
    return out;
  }

  private static Method eefObject(ConfigNode e, List<? extends ExpertSetup<?>> experts, int defaultM) {
    e.onlyKeys("eef", "m", "experts");
    EefVariant variant = e.get("eef").choice(EefVariant.class);
    int m = e.integer("m", defaultM);
    if (m < 1) {
      throw e.get("m").error("M must be >= 1");
    }
    List<String> names = new ArrayList<>();
    if (e.has("experts")) {
      for (ConfigNode x : e.get("experts").list()) {
        requireExpert(x, experts, x.text());
        names.add(x.text());
      }
    } else {
      names.add(experts.getFirst().name());
    }
    if (names.isEmpty()) {
      throw e.get("experts").error("at least one expert");
    }
    return new Method.Eef(variant, m, names);
  }

  private static void requireExpert(ConfigNode at, List<? extends ExpertSetup<?>> experts, String name) {
    if (experts.stream().noneMatch(x -> x.name().equals(name))) {
      throw at.error("no expert named '" + name + "' (experts: "
          + String.join(", ", experts.stream().map(ExpertSetup::name).toList()) + ")");
    }
  }
}
